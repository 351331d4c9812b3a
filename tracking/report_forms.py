"""The GET form behind every report: date range (a preset or two dates), people, projects, task.

Its choices come from `visible_people()` (reports/visibility.py) and the company's projects, so a person one may
not see, or an id of another company, is a form error naming the value, never data.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property

from companies.form_fields import IdMultipleChoiceField

from .models import Project, Task
from .reports import periods, visibility
from .reports.filters import CHART_BY, NO_TASK, ReportFilters, parse_code


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person):
        return person_label(str(person.user), person.is_active)  # the user's name, else their email


def person_label(name, is_active):
    return name if is_active else f"{name} (deactivated)"


class ReportFilterForm(forms.Form):
    range = forms.ChoiceField(choices=[("", "Custom dates"), *periods.PRESETS], required=False, label="Range")
    start = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
    people = PersonChoiceField(
        queryset=None,
        to_field_name="code",
        required=False,
        label="People",
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="None selected: everyone you may see.",
        error_messages={
            "invalid_choice": "You cannot see the time of this person, or there is no such person: %(value)s.",
            "invalid_pk_value": "“%(pk)s” is not a valid person id.",
        },
    )
    projects = IdMultipleChoiceField(
        queryset=None,
        required=False,
        label="Projects",
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="None selected: every project, and time without a task.",
        error_messages={
            "invalid_choice": "There is no such project in your company: %(value)s.",
            "invalid_pk_value": "“%(pk)s” is not a valid project id.",
        },
    )
    task = forms.CharField(required=False, widget=forms.HiddenInput)
    chart = forms.ChoiceField(choices=CHART_BY, required=False, widget=forms.HiddenInput)

    def __init__(self, data, *, membership, now=None):
        super().__init__(data, label_suffix="")
        self.membership = membership
        self.today = periods.company_today(membership.company, now)
        self.fields["people"].queryset = visibility.visible_people(membership).select_related("user")
        self.fields["projects"].queryset = Project.objects.for_company(membership.company_id)

    @cached_property
    def people_in_sight(self):
        """The people one may see (`visibility.Person`s): the choices of People, loaded once and
        handed to the report, which needs the same people."""
        return visibility.people_in_sight(self.membership)

    def options(self, name):
        """The choices of a multiple select as (value, label, is_selected), rendered by Jinja2
        (report_tables.select_options): the widget's per-option templates, or a Django template's
        loop, would cost more than the rest of a small report."""
        chosen = set(self.data.getlist(name)) if hasattr(self.data, "getlist") else set()
        if name == "people":
            choices = (
                (str(person.code), person_label(person.name, person.is_active)) for person in self.people_in_sight
            )
        else:
            field = self.fields[name]
            key = field.to_field_name or "pk"
            choices = ((str(getattr(item, key)), field.label_from_instance(item)) for item in field.queryset)
        return [(value, label, value in chosen) for value, label in choices]

    @property
    def shows_people(self):
        """A person who only sees their own time is not offered a choice of people."""
        return self.membership.is_reviewer

    def clean_task(self):
        value = self.cleaned_data["task"].strip()
        if not value:
            return None
        if value == NO_TASK:
            return NO_TASK
        code = parse_code(value)
        task = Task.objects.for_company(self.membership.company_id).filter(code=code).first() if code else None
        if task is None:
            raise ValidationError(f"There is no such task in your company: {value}.")
        return task

    def clean(self):
        cleaned = super().clean()
        if "start" in self.errors or "end" in self.errors or "range" in self.errors:
            return cleaned
        preset, start, end = cleaned.get("range"), cleaned.get("start"), cleaned.get("end")
        if preset:
            cleaned["date_range"] = periods.preset_range(preset, self.today)
        elif start or end:
            cleaned["date_range"] = self._custom_range(start, end)
        else:
            cleaned["date_range"] = periods.preset_range(periods.DEFAULT_PRESET, self.today)
        return cleaned

    def _custom_range(self, start, end):
        if not (start and end):
            self.add_error("start" if not start else "end", "Enter both dates: the range needs a start and an end.")
            return None
        for name, day in (("start", start), ("end", end)):
            if not periods.EARLIEST_DATE <= day <= periods.LATEST_DATE:
                self.add_error(name, f"Choose a date between {periods.EARLIEST_DATE:%Y} and {periods.LATEST_DATE:%Y}.")
                return None
        if end < start:
            self.add_error("end", f"The end date ({end:%Y-%m-%d}) is before the start date ({start:%Y-%m-%d}).")
            return None
        date_range = periods.DateRange(start, end)
        if date_range.length > periods.MAX_DAYS:
            self.add_error(
                None,
                f"A report covers at most one year ({periods.MAX_DAYS} days); "
                f"this range has {date_range.length} days. Choose a shorter range.",
            )
            return None
        return date_range

    def filters(self):
        data = self.cleaned_data
        return ReportFilters(
            date_range=data["date_range"],
            people=tuple(data.get("people") or ()),
            projects=tuple(data.get("projects") or ()),
            task=data.get("task"),
            chart_by=data.get("chart") or "person",
        )

    def error_messages(self):
        """Every error as one line of text (for CSV requests)."""
        lines = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            lines.extend(f"{label}: {error}" if label else error for error in errors)
        return lines
