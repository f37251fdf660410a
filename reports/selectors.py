"""The network's fiscal-year report assembled from the apps' `reports.py` modules: each table of the year beside
the same table of the previous 年度. A fixed number of queries whatever the data (each app function runs one or two
aggregate queries)."""

import datetime
from dataclasses import dataclass, replace

from ageo_network.statistics import SUPPRESSED, Table, chart, compare, suppress
from ageo_network.wareki import fiscal_year, fiscal_year_label
from cases import reports as case_reports
from meetings import reports as meeting_reports
from outreach import reports as outreach_reports
from registry import reports as registry_reports

EARLIEST_YEAR = 2019  # 令和元年度: the network's first year in the system


def year_label(fy: int) -> str:
    return fiscal_year_label(datetime.date(fy, 4, 1))


def available_years(today: datetime.date) -> list[int]:
    return list(range(fiscal_year(today), EARLIEST_YEAR - 1, -1))


def network_tables(fy: int, *, today: datetime.date) -> list[Table]:
    """Every table of the network report for `fy` (counts as of `today` for a year still running)."""
    return [
        registry_reports.bodies_by_kind(fy),
        registry_reports.businesses_by_kind(fy),
        meeting_reports.meetings_held(fy, today=today),
        meeting_reports.attendance_by_body_kind(fy, today=today),
        meeting_reports.follow_up_actions(fy),
        outreach_reports.materials(fy),
        outreach_reports.events(fy),
        outreach_reports.gatekeepers(fy),
        outreach_reports.activity_reports(fy),
        case_reports.information_by_body_kind(fy),
    ]


@dataclass(frozen=True)
class Section:
    table: Table  # with the previous year beside it where the table has one column, and a 合計 row
    chart: str


def network_report(fy: int, *, today: datetime.date) -> list[Section]:
    """The sections of the screen and the PDF: a chart and its table, this year beside last year. The network
    report leaves the hub: a table about women (the information the hub received) carries the small-cell marks."""
    current = network_tables(fy, today=today)
    previous = {t.key: t for t in network_tables(fy - 1, today=today)}
    sections = []
    for table in current:
        if len(table.columns) == 1:
            table = compare(table, previous[table.key], current_label=year_label(fy), previous_label=year_label(fy - 1))
        table = suppress(table) if table.about_women else table.with_total()
        sections.append(Section(table, chart(table)))
    return sections


def case_report(fy: int, *, published: bool) -> list[Section]:
    """The hub's figures of `fy` beside the previous year. `published`: with small-cell suppression, as every
    copy that leaves the hub (the PDF, the xlsx, the report to the representatives' meeting) must be."""
    previous = {t.key: t for t in case_reports.case_tables(fy - 1)}
    sections = []
    for table in case_reports.case_tables(fy):
        if len(table.columns) == 1:
            table = compare(table, previous[table.key], current_label=year_label(fy), previous_label=year_label(fy - 1))
        table = suppress(table) if published else table.with_total()
        sections.append(Section(table, chart(table)))
    days = case_reports.waiting_days(fy)
    if published and days.value("対象ケース（件）") in (1, 2):
        # A median over one or two cases tells one woman's days: both figures go.
        days = replace(days, rows=[(label, [SUPPRESSED]) for label, _ in days.rows])
    sections.append(Section(days, chart(days)))
    return sections
