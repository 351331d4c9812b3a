"""What a viewer may see. Every report, chart, filter choice and CSV starts from `visible_people()`
(the rule, shared with the members page: companies/visibility.py) or `visible_entries()`."""

from dataclasses import dataclass
from uuid import UUID

from companies.visibility import visible_people

from ..models import TimeEntry

__all__ = ["Person", "people_by_id", "people_in_sight", "visible_entries", "visible_people"]


@dataclass(frozen=True, slots=True)
class Person:
    """What a report shows of a person: plain values, loaded without model instances (a report
    names every one of the hundreds of people one may see, on every page)."""

    pk: int
    code: UUID
    name: str  # the full name, or the email of someone without one
    email: str
    is_active: bool


def visible_entries(membership):
    """The live time entries `membership` may see: those of `visible_people(membership)` (deleted
    ones never count)."""
    if membership is None:
        return TimeEntry.objects.none()
    entries = TimeEntry.objects.for_company(membership.company_id).live()
    if membership.is_company_admin:
        return entries
    if membership.is_reviewer:
        return entries.filter(membership__in=visible_people(membership).values("pk"))
    return entries.of(membership)


def people_in_sight(membership, ids=None):
    """The people `membership` may see (`ids` only, if given) as `Person`s, in the members' order
    (by name, then email): one query."""
    people = visible_people(membership)
    if ids is not None:
        people = people.filter(pk__in=ids)
    rows = people.values_list("pk", "code", "user__full_name", "user__email", "is_active")
    return [Person(pk, code, full_name or email, email, is_active) for pk, code, full_name, email, is_active in rows]


def people_by_id(membership, ids=None, *, among=None):
    """{pk: Person} of the people `membership` may see, `ids` only if given. `among`: those people
    already loaded (the filter form's), so the page does not load them again."""
    if among is None:
        return {person.pk: person for person in people_in_sight(membership, ids)}
    return {person.pk: person for person in among if ids is None or person.pk in ids}
