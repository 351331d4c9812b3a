import zoneinfo
from datetime import datetime

from django import forms


class ManualEntryForm(forms.Form):
    """Time added by hand; the date and times are in the company's time zone."""

    task = forms.ChoiceField(required=False)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}))
    note = forms.CharField(required=False, max_length=1000)

    def __init__(self, *args, tasks, time_zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone = zoneinfo.ZoneInfo(time_zone)
        self.fields["task"].choices = [("", "No task")] + [(str(task.code), f"{task.project.name} · {task.title}")
                                                           for task in tasks]

    def instants(self):
        data = self.cleaned_data
        started = datetime.combine(data["date"], data["start"], tzinfo=self.time_zone)
        ended = datetime.combine(data["date"], data["end"], tzinfo=self.time_zone)
        return started, ended


class AppTokenForm(forms.Form):
    name = forms.CharField(max_length=100, label="Name", help_text="For example: Work laptop")
