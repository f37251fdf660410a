"""A body's own page, one-click restock requests, the yearly confirmation, the lists by area and material."""

import io

import openpyxl
import pytest
from django.urls import reverse

from audit.models import AccessLog
from outreach.models import Placement, PlacementConfirmation, RestockRequest
from registry.models import Body, Person
from tests.factories.outreach import make_material, make_placement, make_restock_request
from tests.factories.registry import make_body

Role = Person.Role


@pytest.fixture
def secretariat_body(bodies):
    return Body.objects.get(code="dept-jinken-danjo")


@pytest.fixture
def pharmacy(db):
    return make_body(name="あげお中央薬局", address="埼玉県上尾市本町3-1-1", in_city=True)


def test_the_member_sees_their_placements_and_asks_for_a_restock_with_one_click(client, login_as, pharmacy):
    placement = make_placement(body=pharmacy, material=make_material(title="相談窓口カード"))
    make_placement(material=placement.material)  # another body's: not shown
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    page = client.get(reverse("outreach:my_outreach"))
    assert page.status_code == 200
    assert page.content.decode().count("相談窓口カード") == 1
    assert "女性トイレ" in page.content.decode()

    response = client.post(reverse("outreach:restock_request_create", args=[placement.pk]), {"level": "empty"})
    assert response.status_code == 302
    request = RestockRequest.objects.get()
    assert (request.placement, request.level, request.is_open) == (placement, "empty", True)
    assert "なくなった：依頼済み" in client.get(reverse("outreach:my_outreach")).content.decode()


def test_a_restock_for_another_bodys_placement_is_404_and_logged(client, login_as, pharmacy):
    other = make_placement()
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    response = client.post(reverse("outreach:restock_request_create", args=[other.pk]), {"level": "low"})
    assert response.status_code == 404
    assert not RestockRequest.objects.exists()
    row = AccessLog.objects.get(outcome="denied")
    assert (row.scope, row.object_type) == (AccessLog.Scope.NETWORK, "outreach.placement")


def test_an_unknown_level_is_not_a_request(client, login_as, pharmacy):
    placement = make_placement(body=pharmacy)
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    client.post(reverse("outreach:restock_request_create", args=[placement.pk]), {"level": "some"})
    assert not RestockRequest.objects.exists()


def test_restock_request_takes_only_post(client, login_as, pharmacy):
    placement = make_placement(body=pharmacy)
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    assert client.get(reverse("outreach:restock_request_create", args=[placement.pk])).status_code == 405


def test_the_member_confirms_the_year_and_marks_a_placement_removed(client, login_as, pharmacy):
    placement = make_placement(body=pharmacy)
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    assert client.post(reverse("outreach:placements_confirm")).status_code == 302
    assert PlacementConfirmation.objects.get().body == pharmacy
    assert "確認済み" in client.get(reverse("outreach:my_outreach")).content.decode()
    client.post(reverse("outreach:placement_remove", args=[placement.pk]))
    placement.refresh_from_db()
    assert placement.status == Placement.Status.REMOVED


def test_the_secretariat_ships_against_a_request_and_it_closes(client, login_as, secretariat_body, pharmacy):
    material = make_material(stock=100)
    request = make_restock_request(placement=make_placement(body=pharmacy, material=material))
    login_as(Role.SECRETARIAT, body=secretariat_body)
    form = client.get(reverse("outreach:restock_ship", args=[request.pk]))
    assert form.status_code == 200 and "あげお中央薬局" in form.content.decode()
    data = {"material": material.pk, "body": pharmacy.pk, "quantity": 30, "spot": "womens_restroom"}
    assert client.post(reverse("outreach:restock_ship", args=[request.pk]), data).status_code == 302
    request.refresh_from_db()
    material.refresh_from_db()
    assert request.closed_at is not None and request.shipment.quantity == 30
    assert material.stock == 70


def test_the_requesting_body_may_not_ship_403(client, login_as, pharmacy):
    request = make_restock_request(placement=make_placement(body=pharmacy))
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    assert client.get(reverse("outreach:restock_ship", args=[request.pk])).status_code == 403


def _many_placements(count):
    materials = [make_material(title=f"啓発物{n}") for n in range(5)]
    towns = ["本町", "宮本町", "原市", "平方", "上平"]
    bodies = [
        make_body(name=f"事業所{n}", address=f"埼玉県上尾市{towns[n % 5]}{n}-1", in_city=n % 4 != 0) for n in range(100)
    ]
    spots = [choice for choice, _ in Placement.Spot.choices]
    for n in range(count):
        make_placement(body=bodies[n % 100], material=materials[(n // 100) % 5], spot=spots[n % 5])
    return bodies


def test_the_lists_by_area_and_by_material_read_500_placements_in_a_few_queries(
    client, login_as, secretariat_body, django_assert_max_num_queries
):
    _many_placements(500)
    assert Placement.objects.count() == 500
    login_as(Role.SECRETARIAT, body=secretariat_body)
    with django_assert_max_num_queries(15):
        by_area = client.get(reverse("outreach:placement_list"))
    html = by_area.content.decode()
    assert by_area.status_code == 200 and "500箇所" in html
    assert "市内" in html and "市外" in html and "宮本町" in html
    with django_assert_max_num_queries(15):
        by_material = client.get(reverse("outreach:placement_list"), {"group": "material"})
    assert "啓発物4" in by_material.content.decode()
    with django_assert_max_num_queries(15):
        export = client.get(reverse("outreach:placement_xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert sheet.max_row == 501
    assert sheet["B2"].value in ("市内", "市外")


def test_a_member_lists_only_their_own_placements(client, login_as, pharmacy):
    make_placement(body=pharmacy, material=make_material(title="自分のカード"))
    make_placement(material=make_material(title="よそのポスター"))
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    html = client.get(reverse("outreach:placement_list")).content.decode()
    assert "<td>自分のカード<span" in html and "<td>よそのポスター<span" not in html


def test_town_names_are_read_from_the_address():
    from outreach.selectors import town_of

    assert town_of("埼玉県上尾市本町3-1-1") == "本町"
    assert town_of("埼玉県上尾市大字今泉１２３") == "大字今泉"
    assert town_of("埼玉県さいたま市大宮区1-1") == ""
