import datetime

import pytest
from django.template import Context, Template

from ageo_network.wareki import fiscal_year_label, wareki_date

D = datetime.date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2019, 4, 30), "平成31年4月30日"),
        (D(2019, 5, 1), "令和元年5月1日"),
        (D(2024, 11, 26), "令和6年11月26日"),
        (D(1989, 1, 7), "昭和64年1月7日"),
        (D(1989, 1, 8), "平成元年1月8日"),
    ],
)
def test_wareki_date_at_era_boundaries(day, expected):
    assert wareki_date(day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2025, 3, 31), "令和6年度"),
        (D(2025, 4, 1), "令和7年度"),
        (D(2019, 4, 30), "令和元年度"),
        (D(2019, 5, 1), "令和元年度"),
        (D(2019, 3, 31), "平成30年度"),
        (D(2024, 11, 26), "令和6年度"),
    ],
)
def test_fiscal_year_label(day, expected):
    assert fiscal_year_label(day) == expected


def test_filters_in_templates_use_tokyo_local_date():
    # 2024-03-31 20:00 UTC is already 1 April in Tokyo: a new fiscal year.
    moment = datetime.datetime(2024, 3, 31, 20, 0, tzinfo=datetime.UTC)
    rendered = Template("{{ m|wareki }} {{ m|nendo }} [{{ empty|wareki }}]").render(
        Context({"m": moment, "empty": None})
    )
    assert rendered == "令和6年4月1日 令和6年度 []"


def test_dates_before_meiji_6_are_refused():
    with pytest.raises(ValueError, match="和暦に変換できません"):
        wareki_date(D(1872, 12, 31))


def test_wareki_date_with_weekday():
    assert wareki_date(D(2024, 11, 26), weekday=True) == "令和6年11月26日（火）"
    assert wareki_date(D(2019, 5, 1), weekday=True) == "令和元年5月1日（水）"
    assert (
        Template("{% load wareki %}{{ d|wareki_weekday }}").render(Context({"d": D(2025, 4, 1)}))
        == "令和7年4月1日（火）"
    )
