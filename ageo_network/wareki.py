"""Japanese era (和暦) and fiscal-year (年度) labels."""

import datetime

# (first day of the era, name), newest first.
ERAS = [
    (datetime.date(2019, 5, 1), "令和"),
    (datetime.date(1989, 1, 8), "平成"),
    (datetime.date(1926, 12, 25), "昭和"),
    (datetime.date(1912, 7, 30), "大正"),
    (datetime.date(1873, 1, 1), "明治"),
]


def era_year(day: datetime.date) -> tuple[str, int]:
    """The era name and the year within it for a day (1873 onwards, the Gregorian era)."""
    for start, name in ERAS:
        if day >= start:
            return name, day.year - start.year + 1
    raise ValueError("明治6年より前の日付は和暦に変換できません")


def year_label(name: str, year: int) -> str:
    return f"{name}{'元' if year == 1 else year}年"


WEEKDAYS = "月火水木金土日"


def wareki_date(day: datetime.date, *, weekday: bool = False) -> str:
    """令和6年11月26日 (with weekday: 令和6年11月26日（火）); the first year of an era reads 元年."""
    if isinstance(day, datetime.datetime):
        day = day.date()
    name, year = era_year(day)
    label = f"{year_label(name, year)}{day.month}月{day.day}日"
    return f"{label}（{WEEKDAYS[day.weekday()]}）" if weekday else label


def fiscal_year(day: datetime.date) -> int:
    """The Gregorian year in which the fiscal year (April to March) holding `day` began."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_label(day: datetime.date) -> str:
    """令和6年度. A fiscal year takes the era in force at the end of its first calendar
    year, so April 2019 to March 2020 is 令和元年度, as the city names it."""
    if isinstance(day, datetime.datetime):
        day = day.date()
    start = fiscal_year(day)
    name, year = era_year(datetime.date(start, 12, 31))
    return year_label(name, year) + "度"


ERA_INITIALS = {"令和": "R", "平成": "H", "昭和": "S", "大正": "T", "明治": "M"}


def fiscal_year_code(fy: int) -> str:
    """'R6' for the fiscal year that began in April 2024: the prefix of every number the network gives out
    (applications R6-S0001, information R6-J0001, cases R6-0001)."""
    name, year = era_year(datetime.date(fy, 12, 31))
    return f"{ERA_INITIALS.get(name, name)}{year}"


def fiscal_year_dates(fy: int) -> tuple[datetime.date, datetime.date]:
    """The first and the last day of the fiscal year that began in April of `fy`."""
    return datetime.date(fy, 4, 1), datetime.date(fy + 1, 3, 31)


def fiscal_year_span(fy: int) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of the fiscal year as aware datetimes in the site's time zone, for timestamp filters."""
    from django.utils import timezone

    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.datetime(fy, 4, 1), tz),
        timezone.make_aware(datetime.datetime(fy + 1, 4, 1), tz),
    )
