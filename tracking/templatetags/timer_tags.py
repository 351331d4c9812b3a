from datetime import timedelta
from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def duration_hm(value):
    """A timedelta as 1 h 05 min."""
    minutes = int(value.total_seconds() // 60) if value else 0
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


@register.filter
def entry_duration(entry):
    """An entry's length as H:MM:SS; a running one counts until now."""
    seconds = int(((entry.ended_at or timezone.now()) - entry.started_at) / timedelta(seconds=1))
    hours, rest = divmod(max(seconds, 0), 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


@register.filter
def time_in(moment, zone_name):
    return moment.astimezone(ZoneInfo(zone_name)).strftime("%H:%M")


@register.filter
def date_in(moment, zone_name):
    """The local day of an instant, as `Thu 27 Nov`."""
    local = moment.astimezone(ZoneInfo(zone_name))
    return f"{local:%a} {local.day} {local:%b}"
