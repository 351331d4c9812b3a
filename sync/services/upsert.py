"""A page of rows in one statement whatever its size: `bulk_upsert` (INSERT … ON CONFLICT DO
UPDATE … RETURNING) and `select_by_key` (the rows of a page of keys).

The ORM's bulk_create(update_conflicts=True) prepares every value of every row through each field
(the sync's main cost at 500 rows a page), and binding thousands of parameters costs more than the
insert itself: psycopg dumps lists in Python, one value at a time, and Django's SQLite backend
rewrites every `%s`. So here, on PostgreSQL, a page travels as ONE parameter, a JSON text made by
the json module's C encoder and unpacked by `json_populate_recordset` (typed by the table's own
row type); on SQLite, whose own binding is fast (faster than unpacking JSON), as plain parameters
adapted column by column rather than value by value through the fields.
Values common to every row (`constants`) are sent once; new UUIDs (`new_uuids`) are made by
PostgreSQL itself. Values are stored exactly as the ORM stores them.
"""

import json
import os
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Model

Row = Sequence[Any]


def select_by_key(
    model: type[Model],
    columns: Sequence[str],
    *,
    fixed: Mapping[str, Any],
    key: str,
    keys: Iterable[str],
    also: str = "",
    also_params: Sequence[Any] = (),
) -> list[tuple[Any, ...]]:
    """The `columns` (raw database values) of the rows whose `key` column is one of `keys` and
    whose `fixed` columns ({column: value}) match, plus `also` (SQL that may name the table's
    columns). One parameter for the keys, and one probe of the index on (*fixed, key) per key,
    whatever the planner thinks of the table (a company's first sync has no statistics yet)."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    selected = ", ".join(f"{table}.{quote(column)}" for column in columns) + (f", {also}" if also else "")
    matching = " AND ".join(f"{table}.{quote(column)} = %s" for column in fixed)
    if connection.vendor == "postgresql":
        # LIMIT 1 (the key is unique) keeps the subquery a per-key index probe, never a hash join.
        sql = (
            f"SELECT {selected} FROM json_array_elements_text(%s::json) AS wanted (key) CROSS JOIN LATERAL "
            f"(SELECT * FROM {table} WHERE {matching} AND {table}.{quote(key)} = wanted.key LIMIT 1) AS {table}"
        )
    else:
        # CROSS JOIN fixes SQLite's join order: the keys outside, an index probe for each.
        sql = (
            f"SELECT {selected} FROM json_each(%s) AS wanted CROSS JOIN {table} "
            f"WHERE {matching} AND {table}.{quote(key)} = wanted.value"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*also_params, json.dumps(list(keys), ensure_ascii=False), *fixed.values()])
        return cursor.fetchall()


def bulk_upsert(
    model: type[Model],
    columns: Sequence[str],
    rows: Sequence[Row],
    *,
    conflict: Sequence[str],
    update: Sequence[str],
    returning: Sequence[str] = (),
    constants: Mapping[str, Any] | None = None,
    new_uuids: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """Inserts rows (tuples in `columns` order, Python values) or updates the `update` columns of
    those that clash on `conflict`. `constants` ({column: value}) are the same in every row;
    `new_uuids` columns get a new random UUID in each row. Returns the `returning` columns of every
    row written."""
    if not rows:
        return []
    constants = constants or {}
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = [*new_uuids, *columns, *constants]
    target = f"INSERT INTO {table} ({', '.join(quote(column) for column in names)}) "
    if connection.vendor == "postgresql":
        selected = ["gen_random_uuid()"] * len(new_uuids) + [quote(column) for column in columns]
        selected += [f"%s::{_db_type(model, column)}" for column in constants]
        source = f"SELECT {', '.join(selected)} FROM json_populate_recordset(NULL::{table}, %s::json) "
        params = [*constants.values(), _json_rows(columns, rows)]
    else:
        source = f"VALUES {_placeholders(len(names), len(rows))} "
        params = _sqlite_parameters(model, names, rows, len(new_uuids), tuple(constants.values()))
    sql = (
        target
        + source
        + f"ON CONFLICT ({', '.join(quote(column) for column in conflict)}) "
        + f"DO UPDATE SET {', '.join(f'{quote(column)} = excluded.{quote(column)}' for column in update)}"
    )
    if returning:
        sql += f" RETURNING {', '.join(quote(column) for column in returning)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if returning else []


def _db_type(model: type[Model], column: str) -> str | None:
    return next(field for field in model._meta.concrete_fields if field.column == column).db_type(connection)


# --- PostgreSQL ---------------------------------------------------------------------------------


def _json_value(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} cannot be written by bulk_upsert")


def _json_rows(columns: Sequence[str], rows: Sequence[Row]) -> str:
    """The rows as one JSON text of objects named by column, for json_populate_recordset."""
    return json.dumps([dict(zip(columns, row, strict=True)) for row in rows], default=_json_value, ensure_ascii=False)


# --- SQLite -------------------------------------------------------------------------------------


def _sqlite_datetime(value: datetime | None) -> str | None:
    """Django's SQLite text for a datetime: naive UTC, `YYYY-MM-DD HH:MM:SS[.ffffff]`."""
    if value is not None and value.tzinfo is not None:
        if value.utcoffset():
            value = value.astimezone(UTC)
        value = value.replace(tzinfo=None)
    return value if value is None else str(value)


def _sqlite_uuid(value: uuid.UUID | None) -> str | None:
    return value if value is None else value.hex


@cache
def _sqlite_adapters(model: type[Model], columns: tuple[str, ...]) -> tuple[tuple[int, Callable[[Any], Any]], ...]:
    """(position, adapter) of the columns whose Python values SQLite does not take as they are."""
    adapters: dict[str, Callable[[Any], Any]] = {
        "DateTimeField": _sqlite_datetime,
        "UUIDField": _sqlite_uuid,
        "JSONField": json.dumps,
    }
    types = {field.column: field.get_internal_type() for field in model._meta.concrete_fields}
    return tuple(
        (position, adapters[types[column]]) for position, column in enumerate(columns) if types[column] in adapters
    )


@cache
def _placeholders(width: int, count: int) -> str:
    row = "(" + ", ".join(["%s"] * width) + ")"
    return ", ".join([row] * count)


def _sqlite_parameters(
    model: type[Model], names: Sequence[str], rows: Sequence[Row], new_uuids: int, constants: tuple[Any, ...]
) -> list[Any]:
    """The rows' values, flattened, as Django writes them to SQLite. An object met again (a
    page's single `written_at`) is adapted once."""
    adapters = _sqlite_adapters(model, tuple(names))
    adapted: dict[tuple[int, int], Any] = {}
    flat: list[Any] = []
    codes = _random_uuids(len(rows) * new_uuids)
    for number, row in enumerate(rows):
        values = [*codes[number * new_uuids : (number + 1) * new_uuids], *row, *constants]
        for position, adapt in adapters:
            value = values[position]
            key = (position, id(value))
            if key not in adapted:
                adapted[key] = adapt(value)
            values[position] = adapted[key]
        flat.extend(values)
    return flat


def _random_uuids(count: int) -> list[uuid.UUID]:
    """Version-4 UUIDs from one read of the OS's random source instead of one read each."""
    entropy = os.urandom(16 * count)
    return [uuid.UUID(bytes=entropy[16 * n : 16 * n + 16], version=4) for n in range(count)]
