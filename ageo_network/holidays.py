"""Days the city office is closed: Saturdays, Sundays, Japanese public holidays (jpholiday, kept up to
date by its maintainers, including substitute and citizens' holidays) and the year-end closure
(12月29日〜1月3日, 行政機関の休日に関する法律). Meetings and events on such a day get a warning."""

import datetime

import jpholiday


def closed_day_reason(day: datetime.date) -> str | None:
    """Why the city office is closed on `day` (Japanese, for a warning), or None on a working day."""
    name = jpholiday.is_holiday_name(day)
    if name:
        return f"祝日（{name}）"
    if (day.month, day.day) >= (12, 29) or (day.month, day.day) <= (1, 3):
        return "年末年始の閉庁日"
    if day.weekday() == 5:
        return "土曜日"
    if day.weekday() == 6:
        return "日曜日"
    return None


def is_working_day(day: datetime.date) -> bool:
    return closed_day_reason(day) is None
