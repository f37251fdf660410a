"""The stock ledger: movements, the balance, shipments that place and close requests, the low-stock notice."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from outreach import services
from outreach.models import Placement, RestockRequest, StockMovement
from registry.models import Person
from registry.system import system_user
from tests.factories.outreach import make_material, make_placement
from tests.factories.registry import make_body, make_person


@pytest.fixture
def by(db):
    return system_user()


@pytest.fixture
def secretariat(bodies):
    from registry.models import Body

    return make_person(role=Person.Role.SECRETARIAT, body=Body.objects.get(code="dept-jinken-danjo"))


def test_movements_move_the_balance_and_the_ledger_adds_up(by):
    material = make_material()
    pharmacy = make_body(name="あげお薬局")
    services.stock_receive(material=material, quantity=500, by=by)
    services.stock_ship(material=material, body=pharmacy, quantity=50, spot="womens_restroom", by=by)
    services.stock_return(material=material, body=pharmacy, quantity=5, by=by)
    services.stock_discard(material=material, quantity=15, by=by, note="旧版")
    material.refresh_from_db()
    assert material.stock == 440
    lines = list(material.movements.order_by("at", "id"))
    assert [(m.kind, m.quantity, m.balance_after) for m in lines] == [
        ("received", 500, 500),
        ("shipped", 50, 450),
        ("returned", 5, 455),
        ("discarded", 15, 440),
    ]
    assert sum(m.signed_quantity for m in lines) == material.stock


def test_a_shipment_larger_than_the_stock_is_refused_and_leaves_no_line(by):
    material = make_material(stock=30)
    with pytest.raises(ValidationError, match="在庫が足りません"):
        services.stock_ship(material=material, body=make_body(), quantity=31, spot="reception", by=by)
    material.refresh_from_db()
    assert material.stock == 30
    assert not material.movements.filter(kind=StockMovement.Kind.SHIPPED).exists()
    assert not Placement.objects.exists()


def test_zero_or_negative_quantities_are_refused(by):
    material = make_material(stock=30)
    for quantity in (0, -5):
        with pytest.raises(ValidationError):
            services.stock_discard(material=material, quantity=quantity, by=by)


def test_a_shipment_starts_a_placement_then_adds_to_it_and_closes_open_requests(by):
    material = make_material(stock=200)
    pharmacy = make_body(name="あげお薬局")
    services.stock_ship(material=material, body=pharmacy, quantity=50, spot="womens_restroom", by=by)
    placement = Placement.objects.get()
    assert (placement.body, placement.quantity, placement.status) == (pharmacy, 50, "active")
    request = services.restock_request_create(placement=placement, level="empty", by=by)
    movement = services.stock_ship(material=material, body=pharmacy, quantity=50, spot="womens_restroom", by=by)
    placement.refresh_from_db()
    request.refresh_from_db()
    assert placement.quantity == 100
    assert Placement.objects.count() == 1
    assert request.closed_at is not None and request.shipment == movement


def test_a_second_click_updates_the_open_request_instead_of_adding_one(
    by, secretariat, django_capture_on_commit_callbacks
):
    secretariat.user.email = "jimukyoku@example.jp"
    secretariat.user.save(update_fields=["email"])
    placement = make_placement(body=make_body(name="あげお薬局"))
    with django_capture_on_commit_callbacks(execute=True):
        first = services.restock_request_create(placement=placement, level="low", by=by)
        second = services.restock_request_create(placement=placement, level="empty", by=by)
    assert first.pk == second.pk
    assert RestockRequest.objects.get().level == "empty"
    # The secretariat is told once, with a link and without the body's name.
    assert [m.to for m in mail.outbox] == [["jimukyoku@example.jp"]]
    assert "/outreach/restock/" in mail.outbox[0].body and "あげお薬局" not in mail.outbox[0].body


def test_a_removed_placement_takes_no_request(by):
    placement = services.placement_remove(placement=make_placement(), by=by)
    assert placement.status == "removed" and placement.removed_on is not None
    with pytest.raises(ValidationError):
        services.restock_request_create(placement=placement, level="low", by=by)


def test_the_low_stock_notice_goes_once_until_the_stock_recovers(by, secretariat, django_capture_on_commit_callbacks):
    secretariat.user.email = "jimukyoku@example.jp"
    secretariat.user.save(update_fields=["email"])
    material = make_material(stock=100, low_stock_threshold=20)
    with django_capture_on_commit_callbacks(execute=True):
        services.stock_discard(material=material, quantity=70, by=by)  # 30: not low yet
        services.stock_discard(material=material, quantity=15, by=by)  # 15: low, notified
        services.stock_discard(material=material, quantity=5, by=by)  # 10: still low, no second mail
    notices = [m for m in mail.outbox if "在庫" in m.subject]
    assert len(notices) == 1
    assert notices[0].to == ["jimukyoku@example.jp"]
    assert "在庫：15" in notices[0].body and f"/outreach/materials/{material.pk}/" in notices[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.stock_receive(material=material, quantity=500, by=by)
        services.stock_discard(material=material, quantity=495, by=by)
    assert len([m for m in mail.outbox if "在庫" in m.subject]) == 2


def test_the_yearly_confirmation_is_recorded_once_per_fiscal_year(by, time_machine):
    time_machine.move_to("2026-06-01 10:00 +09:00")
    placement = make_placement()
    first = services.placements_confirm(body=placement.body, by=by)
    again = services.placements_confirm(body=placement.body, by=by)
    assert first.pk == again.pk and (first.fiscal_year, first.active_count) == (2026, 1)
    time_machine.move_to("2027-04-02 10:00 +09:00")
    assert services.placements_confirm(body=placement.body, by=by).fiscal_year == 2027
