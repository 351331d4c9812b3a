"""One INSERT … ON CONFLICT DO UPDATE … RETURNING statement for a whole page of rows.

The ORM's bulk_create(update_conflicts=True) prepares every value of every row through each field
(the sync's main cost at 500 rows a page); here the caller hands values already in database form
(`connection.ops.adapt_*_value`) and the statement is built once. On PostgreSQL the rows travel as
one array per column through `unnest`, so the statement has a handful of parameters instead of
thousands (parsing and planning a 500-row VALUES list costs more than the insert itself); SQLite
gets a plain multi-row VALUES list.
"""

from django.db import connection


def _column_types(model, columns):
    fields = {field.column: field for field in model._meta.concrete_fields}
    return [fields[column].db_type(connection) for column in columns]


def bulk_upsert(model, columns, rows, *, conflict, update, returning=()):
    """Inserts rows (tuples in `columns` order) or updates the `update` columns of those that
    clash on `conflict`. Returns the `returning` columns of every row written."""
    if not rows:
        return []
    quote = connection.ops.quote_name
    target = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(column) for column in columns)}) "
    if connection.vendor == "postgresql":
        casts = ", ".join(f"%s::{db_type}[]" for db_type in _column_types(model, columns))
        source, params = f"SELECT * FROM unnest({casts}) ", [list(values) for values in zip(*rows, strict=True)]
    else:
        placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
        source, params = f"VALUES {', '.join([placeholders] * len(rows))} ", [value for row in rows for value in row]
    sql = (target + source
           + f"ON CONFLICT ({', '.join(quote(column) for column in conflict)}) "
           + f"DO UPDATE SET {', '.join(f'{quote(column)} = excluded.{quote(column)}' for column in update)}")
    if returning:
        sql += f" RETURNING {', '.join(quote(column) for column in returning)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if returning else []
