import datetime

from django import template
from django.utils import timezone

from ageo_network import wareki as wareki_lib

register = template.Library()


def _as_local_date(value):
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


@register.filter
def wareki(value):
    """{{ body.joined_on|wareki }} → 令和6年7月1日."""
    if not value:
        return ""
    return wareki_lib.wareki_date(_as_local_date(value))


@register.filter
def wareki_weekday(value):
    """{{ day|wareki_weekday }} → 令和6年11月26日（火）."""
    if not value:
        return ""
    return wareki_lib.wareki_date(_as_local_date(value), weekday=True)


@register.filter
def nendo(value):
    """{{ day|nendo }} → 令和6年度."""
    if not value:
        return ""
    return wareki_lib.fiscal_year_label(_as_local_date(value))


@register.filter
def nendo_of(value):
    """{{ 2024|nendo_of }} → 令和6年度 (a fiscal year given as the Gregorian year it begins in)."""
    if value in (None, ""):
        return ""
    return wareki_lib.fiscal_year_label(datetime.date(int(value), 4, 1))
