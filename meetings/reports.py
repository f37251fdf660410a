"""The meetings' figures for the fiscal-year report (read-only aggregates; see ageo_network/statistics.py)."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q

from ageo_network.statistics import Table
from ageo_network.wareki import fiscal_year_dates
from meetings.models import Attendee, FollowUpAction, Invitation, Meeting
from registry.models import Body

Kind = Meeting.Kind


def _held(fy: int, today: datetime.date):
    """Meetings of the year that took place: not cancelled, on or before today."""
    start, end = fiscal_year_dates(fy)
    return Meeting.objects.filter(status=Meeting.Status.PLANNED, date__gte=start, date__lte=min(end, today))


def meetings_held(fy: int, *, today: datetime.date) -> Table:
    """開催した会議: per type of 要綱 Art. 7–9 (an Art. 9 meeting is counted, never described). One query."""
    counts = dict(_held(fy, today).values_list("kind").annotate(n=Count("id")))
    rows = [(f"{label}（第{Meeting.ARTICLES[kind]}条）", [counts.get(kind, 0)]) for kind, label in Kind.choices]
    return Table("meetings", "開催した会議（種類別）", ["開催"], rows, unit="回")


def attendance_by_body_kind(fy: int, *, today: datetime.date) -> Table:
    """代表者会議・実務者会議の出席: invitations per kind of body, those answered 出席, those with someone recorded
    present, and that as a rate of the invitations. One query."""
    present = Attendee.objects.filter(
        invitation=OuterRef("pk"), withdrawn=False, attendance__in=Attendee.PRESENT_STATES
    )
    invitations = Invitation.objects.filter(meeting__in=_held(fy, today).exclude(kind=Kind.CASE_REVIEW)).annotate(
        was_present=Exists(present)
    )
    counts = {
        row["body__kind"]: row
        for row in invitations.values("body__kind").annotate(
            invited=Count("id"),
            answered=Count("id", filter=Q(status=Invitation.Status.ATTENDING)),
            present=Count("id", filter=Q(was_present=True)),
        )
    }
    rows = []
    for kind, label in Body.Kind.choices:
        row = counts.get(kind, {"invited": 0, "answered": 0, "present": 0})
        rate = round(100 * row["present"] / row["invited"], 1) if row["invited"] else None
        rows.append((label, [row["invited"], row["answered"], row["present"], rate]))
    return Table(
        "attendance",
        "代表者会議・実務者会議の出席（機関の種別）",
        ["招集", "出席の回答", "出席", "出席率（％）"],
        rows,
        unit="",
        note="出席：出欠の記録で出席・遅刻・早退の人がいた機関。出席率＝出席÷招集。",
        chart_columns=[0, 2],
    )


def follow_up_actions(fy: int) -> Table:
    """会議で決めた役割分担 (follow-up actions) of the year's meetings: done and open. One query."""
    start, end = fiscal_year_dates(fy)
    counts = dict(
        FollowUpAction.objects.filter(agenda_item__meeting__date__gte=start, agenda_item__meeting__date__lte=end)
        .values_list("status")
        .annotate(n=Count("id"))
    )
    rows = [(label, [counts.get(status, 0)]) for status, label in FollowUpAction.Status.choices]
    return Table("actions", "会議で決めた取組（フォローアップ）", ["件数"], rows, unit="件")
