"""The timer's clock. Times and durations in the person's zone and unit come from
`companies/templatetags/person_tags.py` (`in_person_zone`, `duration`)."""

from datetime import timedelta

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def elapsed(entry):
    """How long an entry lasts; a running one counts until now."""
    return max((entry.ended_at or timezone.now()) - entry.started_at, timedelta(0))


@register.filter
def entry_duration(entry):
    """A running entry's clock, H:MM:SS (static/js/timer.js keeps it ticking)."""
    seconds = int(elapsed(entry) / timedelta(seconds=1))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
