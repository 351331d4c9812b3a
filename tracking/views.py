from django.shortcuts import render

from companies.tenancy import membership_required

from .models import Task


@membership_required()
def dashboard(request):
    tasks = Task.objects.offered_to(request.membership).select_related("project").order_by("project__name", "title")
    by_project = {}
    for task in tasks:
        by_project.setdefault(task.project, []).append(task)
    return render(request, "tracking/dashboard.html", {"page": "dashboard", "tasks_by_project": by_project})
