"""How pages write times and durations: in the signed-in person's time zone and unit of hours.

    {% load person_tags %}
    {{ entry.started_at|in_person_zone }}           Mon 3 Nov 2025, 14:05
    {{ entry.started_at|in_person_zone:"time" }}    14:05
    {{ run.started_at|in_person_zone:"M j, H:i T" }} Nov 3, 14:05 CET (any `date` format)
    {% person_zone %}                               Europe/Madrid
    {{ seconds|duration }}  {{ a_timedelta|duration }}   2.50, or 2:30 for people who chose it

The zone and unit are those `CurrentMembershipMiddleware` made current (companies/preferences.py);
outside a request, UTC and decimal hours.
"""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

from .. import preferences

register = template.Library()

STYLES = {
    "time": "H:i",
    "seconds": "H:i:s",
    "date": "D j M",
    "day": "D j M Y",
    "datetime": "D j M Y, H:i",
    "timestamp": "Y-m-d H:i:s",
}


@register.filter(expects_localtime=False)
def in_person_zone(value, style="datetime"):
    """An instant on the person's wall clock, in a named style (see STYLES) or a `date` format."""
    if not isinstance(value, datetime):
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, STYLES.get(style, style))


@register.simple_tag
def person_zone():
    """The name of the zone times are shown in (the person's, or their company's)."""
    return timezone.get_current_timezone_name()


@register.filter
def duration(value, duration_format=None):
    """A timedelta (or seconds) in the person's unit: 2.50 or 2:30 (`duration:"decimal"` forces one)."""
    return preferences.format_duration(value, duration_format)


@register.simple_tag
def person_duration_format():
    """`decimal` or `hm`: for a script that keeps a duration ticking in the same unit."""
    return preferences.current_duration_format()
