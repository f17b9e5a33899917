"""{{ day|chinese_date }}: a date as Chinese letters and notices write it (tracker.chinese.format_day)."""

from django import template

from tracker.chinese import format_day

register = template.Library()


@register.filter(expects_localtime=True)
def chinese_date(day):
    """2025年6月3日; "" for no date, so that `|default:"—"` still applies."""
    return format_day(day) if day else ""
