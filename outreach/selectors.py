"""Reads that are more than a filter."""

import datetime
import re
from collections import OrderedDict

from django.db.models import Count, Q
from django.utils import timezone

from ageo_network.wareki import fiscal_year
from outreach.models import (
    Event,
    Material,
    Placement,
    PlacementConfirmation,
    Registration,
    RestockRequest,
    campaign_period,
)
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
        .select_related("event", "body")
        .order_by("body__name", "-event__starts_at", "name_kana", "id")
    )


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
    if not placements and not events:
        return []
    return [
        {
            "template": "outreach/_home_member.html",
            "placements": placements,
            "open_requests": open_requests,
            "confirmation_due": bool(placements) and not confirmed,
            "events": events,
        }
    ]
