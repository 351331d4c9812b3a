from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from companies.tenancy import membership_required

from .forms import AppTokenForm, ManualEntryForm
from .models import AppToken, Task, TimeEntry
from .services import app_tokens, time_entries


def _offered_tasks(membership, query=""):
    tasks = (Task.objects.offered_to(membership).filter(is_deleted_upstream=False).select_related("project")
             .order_by("project__name", "title"))
    if query:
        tasks = tasks.filter(Q(title__icontains=query) | Q(project__name__icontains=query))
    return tasks


def _grouped(tasks):
    groups = {}
    for task in tasks:
        groups.setdefault(task.project, []).append(task)
    return groups


def _today(membership):
    """Today's entries in the company's time zone and their total. An entry across midnight (a
    timer left running overnight, say) is listed, and only its part inside today counts."""
    zone = ZoneInfo(membership.company.time_zone)
    now = timezone.now()
    midnight = datetime.combine(now.astimezone(zone).date(), time.min, tzinfo=zone)
    next_midnight = datetime.combine(midnight.date() + timedelta(days=1), time.min, tzinfo=zone)
    entries = list(TimeEntry.objects.of(membership)
                   .filter(started_at__lt=next_midnight)
                   .filter(Q(ended_at__gt=midnight) | Q(ended_at__isnull=True))
                   .select_related("task__project").order_by("started_at"))
    total = sum((min(entry.ended_at or now, next_midnight) - max(entry.started_at, midnight) for entry in entries),
                timedelta())
    return entries, total


def _timer_context(request, query=""):
    membership = request.membership
    entries, total = _today(membership)
    tasks = _offered_tasks(membership, query)
    return {
        "page": "dashboard",
        "running": time_entries.running_entry(membership),
        "tasks_by_project": _grouped(tasks),
        "query": query,
        "today_entries": entries,
        "today_total": total,
        "manual_form": ManualEntryForm(tasks=_offered_tasks(membership), time_zone=membership.company.time_zone,
                                       initial={"date": timezone.now().astimezone(
                                           ZoneInfo(membership.company.time_zone)).date()})
        if membership.company.allow_manual_time else None,
    }


@membership_required()
def dashboard(request):
    return render(request, "tracking/dashboard.html", _timer_context(request, request.GET.get("q", "").strip()))


@membership_required()
def task_options(request):
    """The task picker's list, filtered as the person types (htmx)."""
    context = _timer_context(request, request.GET.get("q", "").strip())
    return render(request, "tracking/_task_options.html", context)


def _flash_refusal(request, refusal):
    messages.error(request, refusal.messages[0])


@require_POST
@membership_required()
def timer_start(request):
    try:
        time_entries.start_timer(request.membership, task_code=request.POST.get("task") or None,
                                 source=TimeEntry.Source.WEB)
    except ValidationError as refusal:
        _flash_refusal(request, refusal)
    return _timer_response(request)


@require_POST
@membership_required()
def timer_stop(request):
    try:
        time_entries.stop_timer(request.membership)
    except ValidationError as refusal:
        _flash_refusal(request, refusal)
    return _timer_response(request)


def _timer_response(request):
    if request.headers.get("HX-Request"):
        # The timer in place, and today's list out of band (it gained or closed an entry).
        return render(request, "tracking/_timer.html", {**_timer_context(request), "oob": True})
    return redirect("dashboard")


@require_POST
@membership_required()
def manual_entry(request):
    membership = request.membership
    form = ManualEntryForm(request.POST, tasks=_offered_tasks(membership), time_zone=membership.company.time_zone)
    if form.is_valid():
        started, ended = form.instants()
        try:
            time_entries.add_manual_entry(membership, started_at=started, ended_at=ended,
                                          task_code=form.cleaned_data["task"] or None, note=form.cleaned_data["note"])
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, "Time added.")
            return redirect("dashboard")
    context = {**_timer_context(request), "manual_form": form}
    return render(request, "tracking/dashboard.html", context, status=400)


@require_POST
@membership_required()
def delete_entry(request, code):
    entry = get_object_or_404(TimeEntry.objects.of(request.membership).select_related("membership__company"),
                              code=code)
    try:
        time_entries.delete_entry(entry)
    except ValidationError as refusal:
        _flash_refusal(request, refusal)
    else:
        messages.success(request, "Entry deleted.")
    return redirect("dashboard")


@membership_required()
def api_tokens(request):
    form = AppTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        token, raw = app_tokens.create_app_token(request.membership, form.cleaned_data["name"])
        created = {"token": token, "raw": raw}
        form = AppTokenForm()
    tokens = AppToken.objects.filter(membership=request.membership)
    return render(request, "tracking/api_tokens.html",
                  {"page": "api-tokens", "form": form, "tokens": tokens, "created": created})


@require_POST
@membership_required()
def revoke_api_token(request, code):
    token = get_object_or_404(AppToken.objects.filter(membership=request.membership), code=code)
    app_tokens.revoke_app_token(token)
    messages.success(request, f"The token “{token.name}” was revoked: the app using it is signed out.")
    return redirect("api-tokens")
