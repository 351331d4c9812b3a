from datetime import datetime, time, timedelta
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_POST

from companies.preferences import person_zone
from companies.tenancy import membership_required

from .forms import AppTokenForm, EntryForm, ManualEntryForm
from .models import AppToken, TimeEntry
from .reports.week import build_week_summary
from .services import app_tokens, time_entries
from .services.tasks import offered_tasks

RECENTLY_DELETED_DAYS = 7
NEW_TOKEN_SESSION_KEY = "tracking:new_app_token"  # the raw token, kept for its one display only


def _grouped(tasks):
    groups = {}
    for task in tasks:
        groups.setdefault(task.project, []).append(task)
    return groups


def _today(membership):
    """Today's entries in the person's time zone and their total. An entry across midnight (a
    timer left running overnight, say) is listed, and only its part inside today counts."""
    zone = person_zone(membership)
    now = timezone.now()
    midnight = datetime.combine(now.astimezone(zone).date(), time.min, tzinfo=zone)
    next_midnight = datetime.combine(midnight.date() + timedelta(days=1), time.min, tzinfo=zone)
    entries = list(
        TimeEntry.objects.of(membership)
        .live()
        .filter(started_at__lt=next_midnight)
        .filter(Q(ended_at__gt=midnight) | Q(ended_at__isnull=True))
        .select_related("task__project")
        .order_by("started_at")
    )
    total = sum(
        (min(entry.ended_at or now, next_midnight) - max(entry.started_at, midnight) for entry in entries), timedelta()
    )
    running = next((entry for entry in entries if entry.ended_at is None), None)
    # The page's script adds the seconds since `counting_since` to the finished part.
    ticking = (
        {
            "finished_seconds": int((total - (now - max(running.started_at, midnight))).total_seconds()),
            "counting_since": max(running.started_at, midnight),
        }
        if running
        else None
    )
    return entries, total, ticking


def _recently_deleted(membership):
    """The person's own entries deleted in the last few days, newest deletion first."""
    if not membership.company.allow_manual_time:
        return None
    since = timezone.now() - timedelta(days=RECENTLY_DELETED_DAYS)
    return list(
        TimeEntry.objects.of(membership)
        .deleted()
        .filter(deleted_at__gte=since)
        .select_related("task__project")
        .order_by("-deleted_at")[:50]
    )


def _timer_context(request, query=""):
    membership = request.membership
    entries, total, ticking = _today(membership)
    tasks = offered_tasks(membership, query)
    return {
        "page": "dashboard",
        "running": time_entries.running_entry(membership),
        "tasks_by_project": _grouped(tasks),
        "query": query,
        "today_entries": entries,
        "today_total": total,
        "today_ticking": ticking,
        "recently_deleted": _recently_deleted(membership),
        "rendered_at": timezone.now(),
        "recently_deleted_days": RECENTLY_DELETED_DAYS,
        "manual_form": ManualEntryForm(
            tasks=offered_tasks(membership),
            time_zone=person_zone(membership).key,
            initial={"date": timezone.now().astimezone(person_zone(membership)).date()},
        )
        if membership.company.allow_manual_time
        else None,
    }


def _dashboard_context(request, query=""):
    """The timer's context and this week's summary (what the person may see)."""
    return {**_timer_context(request, query), "week_summary": build_week_summary(request.membership)}


@membership_required()
def dashboard(request):
    return render(request, "tracking/dashboard.html", _dashboard_context(request, request.GET.get("q", "").strip()))


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
        time_entries.start_timer(
            request.membership, task_code=request.POST.get("task") or None, source=TimeEntry.Source.WEB
        )
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


def manual_time_required(view):
    """The views of an optional feature: a company that does not allow time by hand has none (404)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.membership.company.allow_manual_time:
            raise Http404("Time by hand is turned off.")
        return view(request, *args, **kwargs)

    return wrapper


def _own_entry_or_404(request, code, *, deleted_too=False):
    """One of the person's own entries: anyone else's, a colleague's included, is not found."""
    entries = TimeEntry.objects.of(request.membership)
    if not deleted_too:
        entries = entries.live()
    return get_object_or_404(
        entries.select_related("task__project", "membership__company", "membership__user"), code=code
    )


def _safe_next(request):
    """Where to go back to after a form: a local URL the form was opened from, else the dashboard."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("dashboard")


def _entries_response(request):
    """After a deletion or a restore: with htmx, today's list in place (with the messages) and the
    recently deleted list and the week's summary out of band; without, back to the dashboard."""
    if request.headers.get("HX-Request"):
        return render(request, "tracking/_entries_changed.html", _dashboard_context(request))
    return redirect("dashboard")


@require_POST
@membership_required()
def manual_entry(request):
    membership = request.membership
    form = ManualEntryForm(request.POST, tasks=offered_tasks(membership), time_zone=person_zone(membership).key)
    if form.is_valid():
        started, ended = form.instants()
        try:
            time_entries.add_manual_entry(
                membership,
                acting=membership,
                started_at=started,
                ended_at=ended,
                task_code=form.cleaned_data["task"] or None,
                note=form.cleaned_data["note"],
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, "Time added.")
            return redirect("dashboard")
    context = {**_dashboard_context(request), "manual_form": form}
    return render(request, "tracking/dashboard.html", context, status=400)


@membership_required()
@manual_time_required
def edit_entry(request, code):
    membership = request.membership
    entry = _own_entry_or_404(request, code)
    back = _safe_next(request)
    if entry.ended_at is None:
        messages.error(request, time_entries.MESSAGES["timer_running"])
        return redirect(back)
    form = EntryForm(
        request.POST if request.method == "POST" else None,
        entry=entry,
        tasks=offered_tasks(membership),
        time_zone=person_zone(membership).key,
    )
    if form.is_bound and form.is_valid():
        changes = form.changes()
        try:
            time_entries.change_entry(entry, acting=membership, **changes)
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, "Entry updated." if changes else "Nothing was changed.")
            return redirect(back)
    return render(
        request,
        "tracking/entry_edit.html",
        {"page": "dashboard", "entry": entry, "form": form, "next": back},
        status=400 if form.is_bound else 200,
    )


def _undo_message(request, entry):
    """“Entry deleted.” with an Undo button: a POST form (CSRF token included) inside the message."""
    return render_to_string("tracking/_undo_message.html", {"entry": entry}, request=request)


@require_POST
@membership_required()
def delete_entry(request, code):
    entry = _own_entry_or_404(request, code, deleted_too=True)
    try:
        time_entries.delete_entry(entry, acting=request.membership)
    except ValidationError as refusal:
        _flash_refusal(request, refusal)
    else:
        messages.success(request, _undo_message(request, entry))
    return _entries_response(request)


@require_POST
@membership_required()
def restore_entry(request, code):
    entry = _own_entry_or_404(request, code, deleted_too=True)
    try:
        time_entries.restore_entry(entry, acting=request.membership)
    except ValidationError as refusal:
        _flash_refusal(request, refusal)
    else:
        messages.success(request, "Entry restored.")
    return _entries_response(request)


@membership_required()
@sensitive_variables("raw", "created")
def api_tokens(request):
    """Creating a token posts, then redirects: the new token is shown once, on the page the redirect
    leads to (kept in the session in between, never in a URL), and reloading creates no second one."""
    form = AppTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, raw = app_tokens.create_app_token(request.membership, form.cleaned_data["name"])
        request.session[NEW_TOKEN_SESSION_KEY] = {"code": str(token.code), "raw": raw}
        return redirect("api-tokens")
    created = _pop_new_token(request)
    tokens = AppToken.objects.filter(membership=request.membership)
    response = render(
        request,
        "tracking/api_tokens.html",
        {"page": "api-tokens", "form": form, "tokens": tokens, "created": created},
        status=400 if form.is_bound else 200,
    )
    if created:
        add_never_cache_headers(response)  # the page with the token never lands in a cache
    return response


@sensitive_variables("new")
def _pop_new_token(request):
    new = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    if not new:
        return None
    token = AppToken.objects.filter(membership=request.membership, code=new["code"], revoked_at__isnull=True).first()
    return {"token": token, "raw": new["raw"]} if token else None


@require_POST
@membership_required()
def revoke_api_token(request, code):
    token = get_object_or_404(AppToken.objects.filter(membership=request.membership), code=code)
    app_tokens.revoke_app_token(token)
    messages.success(request, f"The token “{token.name}” was revoked: the app using it is signed out.")
    return redirect("api-tokens")
