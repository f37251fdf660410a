import datetime

import pytest

from ageo_network.holidays import closed_day_reason, is_working_day


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (datetime.date(2024, 11, 20), None),  # Wednesday: the R6.11 meeting's kind of day
        (datetime.date(2024, 11, 23), "祝日（勤労感謝の日）"),  # a Saturday that is also a holiday
        (datetime.date(2024, 11, 4), "祝日（文化の日 振替休日）"),  # substitute holiday for 文化の日 on a Sunday
        (datetime.date(2026, 12, 5), "土曜日"),
        (datetime.date(2026, 12, 6), "日曜日"),
        (datetime.date(2026, 12, 29), "年末年始の閉庁日"),
        (datetime.date(2027, 1, 1), "祝日（元日）"),
        (datetime.date(2027, 1, 4), None),
    ],
)
def test_closed_day_reason(day, reason):
    assert closed_day_reason(day) == reason
    assert is_working_day(day) is (reason is None)
