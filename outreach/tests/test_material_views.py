"""The catalogue: the secretariat adds a material with its print file and thumbnail; members download."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AccessLog
from outreach.models import Material, StockMovement
from registry.models import Body, Person
from tests.factories.outreach import TINY_PDF, TINY_PNG, make_material
from tests.factories.registry import make_body

Role = Person.Role
pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat_body(bodies):
    return Body.objects.get(code="dept-jinken-danjo")


def _data(**overrides):
    data = {
        "kind": "card",
        "title": "相談窓口カード",
        "edition": 2026,
        "language": "ja-easy",
        "public_placement": "",
        "low_stock_threshold": 100,
        "is_active": "on",
        "print_file": SimpleUploadedFile("card.pdf", TINY_PDF, content_type="application/pdf"),
        "thumbnail": SimpleUploadedFile("card.png", TINY_PNG, content_type="image/png"),
    }
    data.update(overrides)
    return data


def test_the_secretariat_adds_a_material_with_checked_files(client, login_as, secretariat_body):
    login_as(Role.SECRETARIAT, body=secretariat_body)
    response = client.post(reverse("outreach:material_create"), _data())
    material = Material.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "outreach:material_detail", args=[material.pk]
    )
    assert (material.language, material.public_placement, material.stock) == ("ja-easy", False, 0)
    assert material.print_file.read().startswith(b"%PDF-")
    assert material.history.first().history_user.person.body == secretariat_body


def test_a_print_file_that_is_not_a_pdf_is_refused(client, login_as, secretariat_body):
    login_as(Role.SECRETARIAT, body=secretariat_body)
    fake = SimpleUploadedFile("card.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(reverse("outreach:material_create"), _data(print_file=fake))
    assert response.status_code == 200
    assert "この種類のファイルは受け付けていません" in response.content.decode()
    assert not Material.objects.exists()


def test_a_member_downloads_the_print_file_and_the_read_is_logged(client, login_as):
    material = make_material(with_files=True, title="ポスター")
    login_as(Role.BUSINESS_MEMBER, body=make_body())
    response = client.get(reverse("outreach:material_print_file", args=[material.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")
    assert "attachment" in response["Content-Disposition"] and "no-store" in response["Cache-Control"]
    row = AccessLog.objects.get()
    assert (row.action, row.scope, row.outcome) == ("export", "network", "allowed")


def test_a_member_sees_no_stock_and_cannot_record_movements(client, login_as):
    material = make_material(stock=123)
    login_as(Role.BUSINESS_MEMBER, body=make_body())
    page = client.get(reverse("outreach:material_detail", args=[material.pk]))
    assert page.status_code == 200 and 'id="stock"' not in page.content.decode()
    response = client.post(
        reverse("outreach:stock_movement_create", args=[material.pk]), {"move-kind": "discarded", "move-quantity": 1}
    )
    assert response.status_code == 403
    assert material.movements.count() == 1


def test_the_secretariat_records_a_receipt_and_sees_the_ledger(client, login_as, secretariat_body):
    material = make_material()
    login_as(Role.SECRETARIAT, body=secretariat_body)
    url = reverse("outreach:stock_movement_create", args=[material.pk])
    assert client.post(url, {"move-kind": "received", "move-quantity": 500}).status_code == 302
    page = client.get(reverse("outreach:material_detail", args=[material.pk])).content.decode()
    assert '<span id="stock" class="fs-4">500</span>' in page
    assert "印刷所から受領" in page
    # A return needs the body that returned it.
    client.post(url, {"move-kind": "returned", "move-quantity": 5})
    assert StockMovement.objects.filter(kind="returned").count() == 0


def test_the_catalogue_list_takes_few_queries(client, login_as, django_assert_max_num_queries):
    for n in range(60):
        make_material(title=f"カード{n}")
    login_as(Role.BUSINESS_MEMBER, body=make_body())
    with django_assert_max_num_queries(10):
        response = client.get(reverse("outreach:material_list"))
    assert response.content.decode().count("outreach/materials/") >= 60
