"""Reads that are more than a filter."""

import datetime
import re
from collections import OrderedDict

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone

from ageo_network.wareki import fiscal_year, fiscal_year_span
from outreach.models import (
    Event,
    Material,
    Placement,
    PlacementConfirmation,
    Registration,
    RestockRequest,
    campaign_period,
)
from registry.models import Body
from registry.roles import current_person

# 上尾市 + 町名: the part of the address after the city name up to the first digit (上尾市本町3-1-1 → 本町).
_TOWN = re.compile(r"上尾市\s*([^\d０-９\-－ー丁]+)")


def town_of(address: str) -> str:
    """The 町名 of an address in the city, for the list by area ('' when it cannot be read)."""
    match = _TOWN.search(address or "")
    return match.group(1).strip() if match else ""


def placements_by_area(placements) -> list[tuple[str, list[tuple[str, list[Placement]]]]]:
    """[(市内/市外, [(町名 or 市外の所在地, placements)])]: 市内 grouped by 町名, 市外 together."""
    inside: dict[str, list] = {}
    outside: list = []
    for placement in placements:
        if placement.body.in_city:
            inside.setdefault(town_of(placement.body.address) or "（町名不明）", []).append(placement)
        else:
            outside.append(placement)
    groups = []
    if inside:
        groups.append(("市内", sorted(inside.items())))
    if outside:
        groups.append(("市外", [("市外", outside)]))
    return groups


def placements_by_material(placements) -> list[tuple[Material, list[Placement]]]:
    grouped: OrderedDict = OrderedDict()
    for placement in sorted(placements, key=lambda p: (p.material.title, p.material_id, p.body.name)):
        grouped.setdefault(placement.material, []).append(placement)
    return list(grouped.items())


def events_with_counts(events):
    """Events with `registered`, `waiting` and `attended` counted in the same query."""
    return events.annotate(
        registered=Count("registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)),
        waiting=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITING)),
        attended=Count("registrations", filter=Q(registrations__attended=True)),
    )


def active_registrant_counts(event) -> dict:
    """Registered or waiting, by kind: {"members": n, "public": n} (one query)."""
    counts = event.registrations.exclude(status=Registration.Status.CANCELLED).aggregate(
        members=Count("id", filter=Q(body__isnull=False)), public=Count("id", filter=Q(body__isnull=True))
    )
    return counts


AVAILABLE, FULL = "空きあり", "満席（キャンセル待ちで受付）"


def public_upcoming_events(*, now=None) -> list[Event]:
    """The public list: public events not yet started and not cancelled, soonest first, each with
    `availability` (空きあり / 満席（キャンセル待ちで受付）) and `free` places. One query."""
    now = now or timezone.now()
    events = list(
        events_with_counts(
            Event.objects.filter(audience=Event.Audience.PUBLIC, is_cancelled=False, starts_at__gt=now)
        ).order_by("starts_at", "id")
    )
    for event in events:
        event.free = max(event.capacity - event.registered, 0)
        event.availability = AVAILABLE if event.free else FULL
    return events


def campaign_events(events, year: int):
    start, end = campaign_period(year)
    tz = timezone.get_current_timezone()
    return events.filter(
        starts_at__gte=timezone.make_aware(datetime.datetime.combine(start, datetime.time.min), tz),
        starts_at__lt=timezone.make_aware(
            datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min), tz
        ),
    )


def gatekeepers(registrations):
    """People trained as gatekeepers (present at a gatekeeper training), newest training first."""
    return (
        registrations.filter(event__kind=Event.Kind.GATEKEEPER, attended=True, body__isnull=False)
        .select_related("event", "body", "person__body")
        .order_by("body__name", "-event__starts_at", "name_kana", "id")
    )


def refresher_due(trained_on: datetime.date) -> datetime.date:
    """When a gatekeeper's refresher is due (settings.OUTREACH_GATEKEEPER_REFRESHER_YEARS, default 3)."""
    years = settings.OUTREACH_GATEKEEPER_REFRESHER_YEARS
    try:
        return trained_on.replace(year=trained_on.year + years)
    except ValueError:  # 29 February
        return trained_on.replace(year=trained_on.year + years, day=28)


def gatekeeper_rows(registrations, *, today: datetime.date) -> list[Registration]:
    """The gatekeeper roster's rows: each with `trained_on`, `refresher_due` and `refresher_overdue`."""
    rows = list(gatekeepers(registrations))
    for row in rows:
        row.trained_on = row.event.day
        row.refresher_due = refresher_due(row.trained_on)
        row.refresher_overdue = row.refresher_due <= today
    return rows


def upcoming_events(*, now=None):
    now = now or timezone.now()
    return Event.objects.filter(starts_at__gt=now, is_cancelled=False).select_related("organiser").order_by("starts_at")


def home_panels(request) -> list[dict]:
    """Panels of this app on the user's home page: each a dict with `template` (a partial under
    templates/<app>/) and the context it shows. Computed here, never in the template."""
    from outreach.access import can_manage

    person = current_person(request.user)
    if person is None:
        return []
    if can_manage(request.user):
        open_requests = RestockRequest.objects.filter(closed_at__isnull=True).count()
        low = [m for m in Material.objects.filter(is_active=True) if m.is_low]
        return [{"template": "outreach/_home_secretariat.html", "open_requests": open_requests, "low_materials": low}]
    placements = list(
        Placement.objects.filter(body_id=person.body_id, status=Placement.Status.ACTIVE).select_related("material")
    )
    open_requests = RestockRequest.objects.filter(placement__body_id=person.body_id, closed_at__isnull=True).count()
    confirmed = PlacementConfirmation.objects.filter(
        body_id=person.body_id, fiscal_year=fiscal_year(timezone.localdate())
    ).exists()
    events = list(upcoming_events()[:5])
    from outreach.models import ActivityReport

    last_year = fiscal_year(timezone.localdate()) - 1
    report_due = not ActivityReport.objects.filter(body_id=person.body_id, fiscal_year=last_year).exists()
    return [
        {
            "template": "outreach/_home_member.html",
            "placements": placements,
            "open_requests": open_requests,
            "confirmation_due": bool(placements) and not confirmed,
            "events": events,
            "report_due_year": last_year if report_due else None,
        }
    ]


def fiscal_year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    return fiscal_year_span(year)


def activity_report_prefill(body, year: int) -> dict:
    """The figures the system already knows for a body's report of `year`: posters placed, leaflets and
    cards shipped to it, its people present at events, its people trained as gatekeepers."""
    from outreach.models import Material, StockMovement

    start, end = fiscal_year_bounds(year)
    shipped = StockMovement.objects.filter(body=body, kind=StockMovement.Kind.SHIPPED, at__gte=start, at__lt=end)
    by_kind = dict(shipped.values_list("material__kind").annotate(n=Sum("quantity")))
    present = Registration.objects.filter(
        body=body, attended=True, event__starts_at__gte=start, event__starts_at__lt=end
    )
    return {
        "posters": by_kind.get(Material.Kind.POSTER, 0),
        "leaflets": by_kind.get(Material.Kind.LEAFLET, 0) + by_kind.get(Material.Kind.CARD, 0),
        "event_attendees": present.count(),
        "gatekeepers": present.filter(event__kind=Event.Kind.GATEKEEPER).count(),
    }


def dashboard_figures(*, today: datetime.date) -> dict:
    """The secretariat's dashboard: each figure as (title, labels, series) plus the chart drawn from it.
    A fixed number of queries whatever the counts."""
    from ageo_network.charts import Series, bar_chart
    from outreach.models import ActivityReport, Material

    year = fiscal_year(today)
    figures = []

    materials = list(Material.objects.filter(is_active=True).order_by("kind", "title", "language"))
    labels = [f"{m.title}（{m.get_language_display()}）" for m in materials]
    figures.append(("在庫", labels, [Series("在庫", [m.stock for m in materials])], "枚"))

    counts = (
        Placement.objects.filter(status=Placement.Status.ACTIVE)
        .values("material__kind", "body__in_city")
        .annotate(n=Count("id"))
    )
    table = {(row["material__kind"], row["body__in_city"]): row["n"] for row in counts}
    kinds = [(kind, label) for kind, label in Material.Kind.choices if (kind, True) in table or (kind, False) in table]
    figures.append(
        (
            "設置中の箇所（種類・地域別）",
            [label for _, label in kinds],
            [
                Series("市内", [table.get((kind, True), 0) for kind, _ in kinds]),
                Series("市外", [table.get((kind, False), 0) for kind, _ in kinds]),
            ],
            "箇所",
        )
    )

    start, end = fiscal_year_bounds(year)
    events = list(
        events_with_counts(Event.objects.filter(starts_at__gte=start, starts_at__lt=end, is_cancelled=False)).order_by(
            "starts_at"
        )
    )
    figures.append(
        (
            "今年度の行事（申込・出席）",
            [f"{e.title}（{timezone.localdate(e.starts_at):%m/%d}）" for e in events],
            [Series("申込", [e.registered for e in events]), Series("出席", [e.attended for e in events])],
            "人",
        )
    )

    trained = Registration.objects.filter(
        event__kind=Event.Kind.GATEKEEPER, attended=True, body__isnull=False
    ).values_list("event__starts_at", flat=True)
    per_year: dict[int, int] = {}
    for starts_at in trained:
        fy = fiscal_year(timezone.localdate(starts_at))
        per_year[fy] = per_year.get(fy, 0) + 1
    years = sorted(per_year)
    figures.append(
        (
            "ゲートキーパー研修の修了者（年度別）",
            [f"{y}年度" for y in years],
            [Series("修了者", [per_year[y] for y in years])],
            "人",
        )
    )

    active = Body.objects.active().count()
    reported = dict(
        ActivityReport.objects.filter(fiscal_year__in=[year - 1, year])
        .values_list("fiscal_year")
        .annotate(n=Count("id"))
    )
    figures.append(
        (
            "活動報告の提出",
            [f"{y}年度" for y in (year - 1, year)],
            [
                Series("提出", [reported.get(y, 0) for y in (year - 1, year)]),
                Series("未提出", [active - reported.get(y, 0) for y in (year - 1, year)]),
            ],
            "機関",
        )
    )
    return {
        "figures": [
            {
                "title": title,
                "rows": [(label, [s.values[i] for s in series]) for i, label in enumerate(labels)],
                "series": [s.label for s in series],
                "unit": unit,
                "chart": bar_chart(title=title, labels=labels, series=series if len(series) > 1 else None, unit=unit)
                if len(series) > 1
                else bar_chart(list(zip(labels, series[0].values, strict=True)), title=title, unit=unit),
            }
            for title, labels, series, unit in figures
        ]
    }
