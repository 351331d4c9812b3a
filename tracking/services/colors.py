"""One colour per project and per person, the same on every chart and legend of every page.

A project's colour is fixed by its place among its company's projects in the order they were created
(the n-th project gets the n-th colour of the palette, round and round): not by its rank on a chart,
which changes with the range and the filters. Projects and memberships are never deleted (tasks keep
their project, people are deactivated), so a place never changes. Compared with a hash of the id,
the first twelve projects (and people) of a company never share a colour; with a hash, four series
share one about four times in ten.

Time without a task and the "Others" stack have colours of their own, outside the palette.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection
from typing import TYPE_CHECKING

from companies.models import Membership

from ..models import Project

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

# Twelve colours that stand out on white and from each other (no grey: that is "Others").
PALETTE = [
    "#2563eb",
    "#f59e0b",
    "#059669",
    "#dc2626",
    "#7c3aed",
    "#0891b2",
    "#db2777",
    "#65a30d",
    "#92400e",
    "#4f46e5",
    "#ea580c",
    "#0f766e",
]
NO_TASK_COLOR = "#475569"
OTHERS_COLOR = "#9ca3af"


def _places(rows: QuerySet[Model], ids: Collection[int | None]) -> dict[int | None, int]:
    """{id: how many of `rows` come before it by id}, in one query whatever the number of ids: the
    ids of the rows before the last one asked for (a company's projects or people, a few thousand
    integers at most), which costs less than a filtered count per id to build and to run."""
    ids = sorted({pk for pk in ids if pk is not None})
    if not ids:
        return {}
    before = list(rows.filter(pk__lt=ids[-1]).order_by("pk").values_list("pk", flat=True))
    return {pk: bisect.bisect_left(before, pk) for pk in ids}


def project_colors(company_id: int, project_ids: Collection[int | None]) -> dict[int | None, str]:
    """{project id: colour}; the key None (time without a task) gets NO_TASK_COLOR."""
    colors: dict[int | None, str] = {
        pk: PALETTE[place % len(PALETTE)]
        for pk, place in _places(Project.objects.for_company(company_id), project_ids).items()
    }
    if None in set(project_ids):
        colors[None] = NO_TASK_COLOR
    return colors


def person_colors(company_id: int, membership_ids: Collection[int | None]) -> dict[int | None, str]:
    """{membership id: colour}."""
    return {
        pk: PALETTE[place % len(PALETTE)]
        for pk, place in _places(Membership.objects.for_company(company_id), membership_ids).items()
    }
