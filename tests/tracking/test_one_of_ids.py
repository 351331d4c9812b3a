"""OneOf: a filter on ids bound as one parameter finds exactly the listed rows, however many."""

import pytest

from tracking.models import Project, Task
from tracking.reports.id_lists import OneOf

from .report_fixtures import make_project

pytestmark = pytest.mark.django_db


def make_tasks(project, count):
    Task.objects.bulk_create(
        Task(company=project.company, provider="pivotal", external_id=f"s-{n}", project=project, title=f"Story {n}")
        for n in range(count)
    )
    return sorted(Task.objects.filter(project=project).values_list("pk", flat=True))


def test_exactly_the_listed_ids_are_found_among_thousands(company):
    ids = make_tasks(make_project(company, "Web"), 2_500)
    wanted = ids[::2][:1_500]

    found = Task.objects.filter(OneOf("pk", wanted)).values_list("pk", flat=True)

    assert sorted(found) == wanted


def test_no_ids_find_nothing_and_other_filters_still_apply(company, other_company):
    ours = make_tasks(make_project(company, "Web"), 3)
    theirs = make_tasks(make_project(other_company, "Web"), 3)

    assert not Task.objects.filter(OneOf("pk", [])).exists()
    assert (
        sorted(Task.objects.for_company(company.pk).filter(OneOf("pk", ours + theirs)).values_list("pk", flat=True))
        == ours
    )


@pytest.mark.parametrize("ids", [["1", "2; DROP TABLE tracking_task"], [1.9], [True], iter([1, 2])])
def test_ids_that_are_not_a_collection_of_integers_are_refused_before_any_query(company, ids):
    with pytest.raises(TypeError):
        Project.objects.filter(OneOf("pk", ids))
