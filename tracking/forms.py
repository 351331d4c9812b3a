import zoneinfo
from datetime import UTC, datetime

from django import forms
from django.utils import timezone


class ManualEntryForm(forms.Form):
    """Time added by hand; the date and times are in the person's time zone."""

    task = forms.ChoiceField(required=False)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}))
    note = forms.CharField(required=False, max_length=1000)

    def __init__(self, *args, tasks, time_zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone = zoneinfo.ZoneInfo(time_zone)
        self.fields["task"].choices = [("", "No task")] + [
            (str(task.code), f"{task.project.name} · {task.title}") for task in tasks
        ]

    def instants(self):
        data = self.cleaned_data
        started = datetime.combine(data["date"], data["start"], tzinfo=self.time_zone)
        ended = datetime.combine(data["date"], data["end"], tzinfo=self.time_zone)
        return started, ended


class AppTokenForm(forms.Form):
    name = forms.CharField(max_length=100, label="Name", help_text="For example: Work laptop")


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock date and time (`<input type="datetime-local">`) read in the given time zone. A time
    that a DST change skips or repeats is refused with Django's own message."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    time_zone = UTC  # set by the form

    def to_python(self, value):
        with timezone.override(self.time_zone):
            return super().to_python(value)

    def has_changed(self, initial, data):
        if isinstance(initial, datetime) and timezone.is_naive(initial):
            initial = initial.replace(tzinfo=self.time_zone)
        return super().has_changed(initial, data)


class EntryForm(forms.Form):
    """Editing one entry: its start and end (in the person's time zone), task and note. A field the
    person left as shown keeps the entry's exact value: times are shown to the minute, and opening
    the form and saving a new note must not move a timer's seconds."""

    started_at = LocalDateTimeField(label="Start")
    ended_at = LocalDateTimeField(label="End")
    # Any value is accepted here; the service says why a task cannot be used (unknown_task…).
    task = forms.CharField(required=False, widget=forms.Select)
    note = forms.CharField(required=False, max_length=1000, widget=forms.TextInput)

    def __init__(self, *args, entry, tasks, time_zone, **kwargs):
        zone = zoneinfo.ZoneInfo(time_zone)
        local = {
            name: getattr(entry, name).astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)
            for name in ("started_at", "ended_at")
        }
        initial = {**local, "task": str(entry.task.code) if entry.task else "", "note": entry.note}
        super().__init__(*args, initial=initial, **kwargs)
        for name in local:
            self.fields[name].time_zone = zone
        choices = [("", "No task")] + [(str(task.code), f"{task.project.name} · {task.title}") for task in tasks]
        if entry.task and str(entry.task.code) not in dict(choices):  # closed since: it may stay
            task = entry.task
            choices.append((str(task.code), f"{task.project.name} · {task.title} (no longer offered)"))
        self.fields["task"].widget.choices = choices

    def changes(self):
        """The keyword arguments of `change_entry` for what the person changed."""
        data, changed = self.cleaned_data, set(self.changed_data)
        changes = {name: data[name] for name in ("started_at", "ended_at") if name in changed}
        if "task" in changed:
            changes["task_code"] = data["task"] or None
        if "note" in changed:
            changes["note"] = data["note"]
        return changes
