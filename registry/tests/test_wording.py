"""Wording and small errors a first real use found: one number style, 和暦 dates, review page labels, the
roster's 状態 column, and who a history row names to whom."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from registry import services
from registry.models import Application, Body, Person
from tests.factories.registry import make_application, make_body, make_person

Role = Person.Role


@pytest.mark.django_db
def test_application_numbers_and_dates_in_the_era_style(client, login_as, bodies):
    with time_machine.travel(datetime.datetime(2026, 12, 2, 11, 50, tzinfo=ZoneInfo("Asia/Tokyo"))):
        application = make_application()
        assert application.reference == "R8-S0001"
        login_as(Role.SECRETARIAT)
        html = client.get(application.get_absolute_url()).content.decode()
    assert "令和8年12月2日（水） 11:50" in html
    assert "2026-12-02" not in html


@pytest.mark.django_db
def test_the_two_reason_boxes_say_which_they_are(client, login_as, bodies):
    login_as(Role.SECRETARIAT)
    html = client.get(make_application().get_absolute_url()).content.decode()
    assert "修正してほしい点（申請者にメールで送られます）" in html
    assert "却下の理由（申請者にメールで送られます）" in html
    assert html.count("理由（申請者にメールで送られます）") == 1


@pytest.mark.django_db
def test_approval_needs_the_confirmation(client, login_as, bodies):
    login_as(Role.SECRETARIAT)
    application = make_application()
    response = client.post(reverse("registry:application_approve", args=[application.uuid]))
    assert response.status_code == 400
    assert "内容を確認したことにチェックを入れてください" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.PENDING and application.body is None


@pytest.mark.django_db
def test_roster_status_column_says_something(client, login_as, bodies):
    login_as(Role.SECRETARIAT)
    make_body(name="確認待ち事業所", needs_review=True)
    html = client.get(reverse("registry:body_list")).content.decode()
    assert "<td>構成機関</td>" not in html
    assert "<td>加入中</td>" in html and "変更の確認待ち" in html


@pytest.mark.django_db
def test_history_names_the_secretariat_not_its_account_to_a_business(client, login_as, bodies):
    secretariat = make_person(role=Role.SECRETARIAT, body=Body.objects.get(code="dept-jinken-danjo"))
    member = login_as(Role.BUSINESS_MEMBER)
    services.people_limit_set(body=member.body, limit=4, by=secretariat.user)
    html = client.get(reverse("registry:business_home")).content.decode()
    assert "ネットワーク事務局" in html
    assert secretariat.user.username not in html


@pytest.mark.django_db
def test_history_shows_the_account_to_the_secretariat(client, login_as, bodies):
    other = make_person(role=Role.SECRETARIAT, body=Body.objects.get(code="dept-jinken-danjo"))
    login_as(Role.SECRETARIAT)
    body = make_body()
    services.people_limit_set(body=body, limit=4, by=other.user)
    assert other.user.username in client.get(body.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_required_errors_name_the_field_and_no_example_placeholders(client, bodies):
    from registry.tests.conftest import valid_signup_data

    page = client.get(reverse("registry:signup")).content.decode()
    assert "placeholder=" not in page
    assert "js/form-errors.js" in page  # moves the focus to the first field in error
    data = valid_signup_data(representative="", contact_name="", business_kind="", rules_accepted=None)
    html = client.post(reverse("registry:signup"), data).content.decode()
    assert "代表者名を入力してください。" in html
    assert "担当者名を入力してください。" in html
    assert "事業所の種類を選んでください。" in html
    assert "このフィールドは必須です" not in html and "この項目を入力してください" not in html
