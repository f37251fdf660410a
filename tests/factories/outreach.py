"""make_<model>(**overrides) factories of the outreach app."""

import datetime
import itertools

from django.core.files.base import ContentFile
from django.utils import timezone

from outreach import services
from outreach.models import Event, Material, Placement, Registration, RestockRequest
from registry.models import Body
from registry.system import system_user
from tests.factories.registry import make_body

_seq = itertools.count(1)

# The smallest file each kind check accepts.
TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def make_material(*, stock: int = 0, with_files: bool = False, **overrides) -> Material:
    n = next(_seq)
    fields = {
        "kind": Material.Kind.CARD,
        "title": f"相談窓口カード{n}",
        "edition": 2026,
        "language": Material.Language.JA,
        "low_stock_threshold": 10,
    }
    fields.update(overrides)
    material = Material(**fields)
    if with_files:
        material.print_file.save(f"card{n}.pdf", ContentFile(TINY_PDF), save=False)
        material.thumbnail.save(f"card{n}.png", ContentFile(TINY_PNG), save=False)
    material.full_clean()
    material.save()
    if stock:
        services.stock_receive(material=material, quantity=stock, by=system_user())
        material.refresh_from_db()
    return material


def make_placement(*, body: Body | None = None, material: Material | None = None, **overrides) -> Placement:
    fields = {
        "body": body or make_body(),
        "material": material or make_material(),
        "spot": Placement.Spot.WOMENS_RESTROOM,
        "quantity": 20,
    }
    fields.update(overrides)
    placement = Placement(**fields)
    placement.full_clean()
    placement.save()
    return placement


def make_restock_request(*, placement: Placement | None = None, **overrides) -> RestockRequest:
    fields = {
        "placement": placement or make_placement(),
        "level": RestockRequest.Level.LOW,
        "requested_by": system_user(),
    }
    fields.update(overrides)
    request = RestockRequest(**fields)
    request.full_clean()
    request.save()
    return request


def make_event(*, organiser: Body | None = None, days_ahead: int = 30, **overrides) -> Event:
    n = next(_seq)
    start = timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0) + datetime.timedelta(
        days=days_ahead
    )
    fields = {
        "kind": Event.Kind.GATEKEEPER,
        "title": f"ゲートキーパー研修{n}",
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=2),
        "place": "上尾市男女共同参画推進センター 研修室",
        "capacity": 20,
        "audience": Event.Audience.MEMBERS,
        "organiser": organiser or Body.objects.get(code="dept-jinken-danjo"),
    }
    fields.update(overrides)
    event = Event(**fields)
    event.full_clean()
    event.save()
    return event


def make_registration(*, event: Event | None = None, body: Body | None = None, **overrides) -> Registration:
    n = next(_seq)
    fields = {"event": event or make_event(), "body": body, "name": f"受講 花子{n}", "name_kana": "ジュコウ ハナコ"}
    if body is None:
        fields["email"] = f"public{n}@example.jp"
    fields.update(overrides)
    registration = Registration(**fields)
    registration.full_clean()
    registration.save()
    return registration
