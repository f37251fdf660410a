"""Duplicate hints are computed once, when an application arrives (or comes back revised), not on every view."""

import pytest
from django.test import Client
from django.urls import reverse

from registry import services
from registry.models import Application, Body, Person
from registry.tests.conftest import valid_signup_data
from tests.factories.registry import make_application, make_body

Role = Person.Role


@pytest.fixture
def secretariat(bodies, login_as):
    return login_as(Role.SECRETARIAT, body=Body.objects.get(code="dept-jinken-danjo"))


def submit(**overrides) -> Application:
    """Through the public form, as an applicant would."""
    response = Client().post(reverse("registry:signup"), valid_signup_data(**overrides))
    assert response.status_code == 302
    return Application.objects.latest("submitted_at")


def hints_on_page(client, application):
    response = client.get(reverse("registry:application_detail", args=[application.uuid]))
    assert response.status_code == 200
    return {hint.label: hint.reasons for hint in response.context["hints"]}


@pytest.mark.django_db
def test_hints_are_stored_on_arrival_and_the_page_compares_nothing(client, secretariat, monkeypatch):
    body = make_body(name="株式会社あげお薬局", name_kana="アゲオヤッキョク")
    application = submit(name="あげお薬局", name_kana="アゲオヤッキョク")
    assert {"body": body.pk, "reasons": ["名称が似ている"]} in application.duplicate_hints

    def no_comparing(*args):
        raise AssertionError("the detail page compared names")

    monkeypatch.setattr(services, "_names_similar", no_comparing)
    assert hints_on_page(client, application)["構成機関：株式会社あげお薬局（構成機関）"] == ["名称が似ている"]


@pytest.mark.django_db
def test_the_label_shows_the_body_as_it_is_today(client, secretariat):
    body = make_body(name="あげお薬局", name_kana="アゲオヤッキョク")
    application = make_application(name="あげお薬局", name_kana="アゲオヤッキョク")
    services.body_withdraw(
        body=body, left_on=body.joined_on or __import__("datetime").date.today(), reason="申出", by=None
    )
    assert "構成機関：あげお薬局（元構成機関）" in hints_on_page(client, application)


@pytest.mark.django_db
def test_after_approval_its_own_body_is_no_duplicate(client, secretariat):
    application = submit()
    services.application_approve(application=application, by=secretariat.user)
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    # As the old rule did on every view, compare again now that its body exists: the stored hints and the
    # page must not name the application's own body.
    stored = application.duplicate_hints + services.find_duplicates(application)
    application.duplicate_hints = stored
    application.save(update_fields=["duplicate_hints"])
    assert any(hint.get("body") == application.body_id for hint in stored)
    labels = hints_on_page(client, application)
    assert not any(application.body.name in label and "構成機関" in label for label in labels)


@pytest.mark.django_db
def test_revising_recomputes(client, secretariat):
    application = make_application(name="まったく新しい店", name_kana="マッタクアタラシイミセ")
    assert application.duplicate_hints == []
    body = make_body(name="まったく新しい店舗", name_kana="マッタクアタラシイテンポ")
    services.application_request_changes(
        application=application, reason="住所を確認してください。", by=secretariat.user
    )
    application.refresh_from_db()
    revised = services.application_revise(application=application, data={"phone": "048-111-2222"}, ip=None)
    assert [hint["body"] for hint in revised.duplicate_hints] == [body.pk]


@pytest.mark.django_db
def test_at_most_twenty_hints_the_exact_matches_first(client, secretariat):
    for n in range(25):
        make_body(name=f"あげお薬局{n}号店", name_kana="アゲオヤッキョク")
    same_phone = make_body(name="別の名前の店", phone="048-775-9999")
    application = make_application(name="あげお薬局", name_kana="アゲオヤッキョク", phone="048-775-9999")
    assert len(application.duplicate_hints) == services.MAX_DUPLICATE_HINTS
    assert application.duplicate_hints[0] == {"body": same_phone.pk, "reasons": ["電話番号が同じ"]}
    assert len(hints_on_page(client, application)) == services.MAX_DUPLICATE_HINTS
