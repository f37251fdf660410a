"""Withdrawal (退会): the body becomes former, its people are cut off at once, every record stays."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from registry import services
from registry.models import Body, Person
from tests.factories.registry import make_body, make_person

Role = Person.Role


@pytest.fixture
def member_body(db):
    return make_body(name="退会する薬局", roster_consent=True, joined_on=datetime.date(2024, 6, 1))


@pytest.mark.django_db
class TestService:
    def test_body_becomes_former_people_are_deactivated_and_history_is_kept(self, member_body, person_factory):
        first = person_factory(body=member_body, started_on=datetime.date(2024, 6, 1))
        second = person_factory(body=member_body, started_on=datetime.date(2024, 7, 1))
        staff = make_person(role=Role.SECRETARIAT, body=make_body(name="事務局の課"))
        services.withdrawal_request_create(body=member_body, wished_on=None, reason="閉店", by=first.user)
        services.body_withdraw(
            body=member_body, left_on=datetime.date(2025, 3, 31), reason="事業所からの申出", by=staff.user
        )
        member_body.refresh_from_db()
        assert member_body.status == Body.Status.FORMER
        assert member_body.left_on == datetime.date(2025, 3, 31)
        assert member_body.left_reason == "事業所からの申出"
        latest = member_body.history.latest()
        assert latest.history_user == staff.user and latest.status == Body.Status.FORMER
        for person in (first, second):
            person.refresh_from_db()
            person.user.refresh_from_db()
            assert person.left_on == datetime.date(2025, 3, 31)
            assert person.user.is_active is False
            assert person.history.latest().history_user == staff.user
            assert person.history.count() == 2  # created, then ended: nothing deleted
        assert member_body.withdrawal_requests.get().processed_at is not None

    def test_a_former_body_cannot_leave_twice_and_city_bodies_never_leave(self, member_body, bodies):
        services.body_withdraw(body=member_body, left_on=datetime.date(2025, 1, 1), reason="申出", by=None)
        with pytest.raises(ValidationError, match="既に退会しています"):
            services.body_withdraw(body=member_body, left_on=datetime.date(2025, 2, 1), reason="申出", by=None)
        with pytest.raises(ValidationError, match="市の拠点・部署は退会の対象ではありません"):
            services.body_withdraw(
                body=Body.objects.get(code="hub"), left_on=datetime.date(2025, 2, 1), reason="x", by=None
            )

    def test_leaving_before_joining_is_refused_in_japanese(self, member_body):
        with pytest.raises(ValidationError, match="退会日は加入日以降の日付にしてください"):
            services.body_withdraw(body=member_body, left_on=datetime.date(2024, 1, 1), reason="申出", by=None)
        member_body.refresh_from_db()
        assert member_body.is_active


@pytest.mark.django_db
def test_withdrawal_kills_the_live_session_of_its_people(client, member_body, bodies):
    from django.test import Client

    member_client = Client()
    from conftest import _login_as

    member = _login_as(member_client, Role.BUSINESS_MEMBER, body=member_body)
    assert member_client.get(reverse("registry:business_home")).status_code == 200
    secretariat = Client()
    _login_as(secretariat, Role.SECRETARIAT, body=Body.objects.get(code="dept-jinken-danjo"))
    response = secretariat.post(
        reverse("registry:body_withdraw", args=[member_body.pk]),
        {"left_on": "2025-04-30", "reason": "事業所からの申出"},
    )
    assert response.status_code == 302
    # The member's very next request is refused and their session is gone for good.
    response = member_client.get(reverse("registry:business_home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert member_client.get(reverse("home")).status_code == 302
    member.user.refresh_from_db()
    assert member.user.is_active is False
    # Signing in again does not work either.
    member_client.post(reverse("login"), {"username": member.user.username, "password": "correct-horse-battery"})
    assert member_client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
class TestView:
    def url(self, body):
        return reverse("registry:body_withdraw", args=[body.pk])

    def test_shows_the_open_request_and_prefills_the_wished_date(self, client, login_as, member_body, person_factory):
        member = person_factory(body=member_body)
        services.withdrawal_request_create(
            body=member_body, wished_on=datetime.date(2025, 5, 31), reason="閉店のため", by=member.user
        )
        login_as(Role.SECRETARIAT)
        response = client.get(self.url(member_body))
        assert response.status_code == 200
        assert "閉店のため" in response.content.decode()
        assert response.context["form"].initial["left_on"] == datetime.date(2025, 5, 31)

    def test_public_roster_drops_the_body_at_once(self, client, login_as, member_body):
        assert "退会する薬局" in client.get("/registry/roster/").content.decode()
        login_as(Role.SECRETARIAT)
        client.post(self.url(member_body), {"left_on": "2025-04-30", "reason": "申出"})
        client.logout()
        assert "退会する薬局" not in client.get("/registry/roster/").content.decode()

    def test_reason_is_required(self, client, login_as, member_body):
        login_as(Role.SECRETARIAT)
        response = client.post(self.url(member_body), {"left_on": "2025-04-30", "reason": ""})
        assert response.status_code == 200
        assert "退会の経緯を入力してください。" in response.content.decode()
        member_body.refresh_from_db()
        assert member_body.is_active

    def test_read_only_role_gets_403(self, client, login_as, member_body, bodies):
        login_as(Role.HUB_SUPERVISOR, body=Body.objects.get(code="hub"))
        assert client.post(self.url(member_body), {"left_on": "2025-04-30", "reason": "x"}).status_code == 403
        member_body.refresh_from_db()
        assert member_body.is_active

    def test_outsider_gets_404_and_bad_id_404(self, client, login_as, member_body):
        login_as(Role.BUSINESS_MEMBER)
        assert client.get(self.url(member_body)).status_code == 404
        client.logout()
        login_as(Role.SECRETARIAT)
        assert client.get(reverse("registry:body_withdraw", args=[999999])).status_code == 404

    def test_wrong_method_is_405(self, client, login_as, member_body):
        login_as(Role.SECRETARIAT)
        assert client.delete(self.url(member_body)).status_code == 405
