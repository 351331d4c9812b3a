"""Every index costs a write on every insert (a sync writes ~20,000 tasks, an upload thousands of
entries): no table of ours keeps a plain index whose columns begin another index, which serves
every query the shorter one would."""

import pytest
from django.apps import apps
from django.db import connection

pytestmark = pytest.mark.django_db

OUR_APPS = ("companies", "integrations", "sync", "tracking")


def partial_index_names():
    """Indexes with a condition cover only some rows: they never stand in for a full one."""
    return {
        item.name
        for app in OUR_APPS
        for model in apps.get_app_config(app).get_models()
        for item in [*model._meta.constraints, *model._meta.indexes]
        if getattr(item, "condition", None) is not None
    }


def redundant_indexes(table, partial):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    indexes = {
        name: tuple(info["columns"])
        for name, info in constraints.items()
        # a unique constraint is an index too (SQLite reports the inline ones without "index")
        if (info["index"] or info["unique"] or info["primary_key"])
        and info["columns"]
        and not info["check"]
        and name not in partial
    }
    plain = {name: columns for name, columns in indexes.items() if not constraints[name]["unique"]}
    return sorted(
        f"{table}.{name} {columns}"
        for name, columns in plain.items()
        for other, longer in indexes.items()
        if other != name and len(longer) > len(columns) and longer[: len(columns)] == columns
    )


def test_no_plain_index_is_the_beginning_of_another_index():
    tables = {model._meta.db_table for app in OUR_APPS for model in apps.get_app_config(app).get_models()}
    partial = partial_index_names()
    found = [entry for table in sorted(tables) for entry in redundant_indexes(table, partial)]
    assert found == [], "\n".join(found)
