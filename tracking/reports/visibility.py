"""What a viewer may see. Every report, chart, filter choice and CSV starts from `visible_people()`
(the rule, shared with the members page: companies/visibility.py) or `visible_entries()`."""

from companies.visibility import visible_people

from ..models import TimeEntry

__all__ = ["people_by_id", "person_name", "visible_entries", "visible_people"]


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


def person_name(person):
    return person.user.full_name or person.user.email


def people_by_id(membership, ids=None, *, among=None):
    """{pk: membership} of the people `membership` may see (their users loaded), `ids` only if given.
    `among`: those people already loaded (the filter form's), so the page does not load them again."""
    if among is not None:
        return {person.pk: person for person in among if ids is None or person.pk in ids}
    people = visible_people(membership).select_related("user")
    if ids is not None:
        people = people.filter(pk__in=list(ids))
    return {person.pk: person for person in people}
