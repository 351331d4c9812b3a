"""The tasks offered to a person: the one list the dashboard's timer, its forms and the desktop
API's task list show."""

from django.db.models import Q, QuerySet

from companies.models import Membership

from ..models import Task


def offered_tasks(membership: Membership | None, query: str = "") -> QuerySet[Task]:
    """The tasks a person may start a timer on now: offered by their own sync (an active
    assignment) and not deleted upstream, by project then title, with their project. `query` keeps
    those whose title or project name contains it."""
    tasks = (
        Task.objects.offered_to(membership)
        .filter(is_deleted_upstream=False)
        .select_related("project")
        .order_by("project__name", "title")
    )
    if query:
        tasks = tasks.filter(Q(title__icontains=query) | Q(project__name__icontains=query))
    return tasks
