"""Every session of an account ends at once when it is deactivated, its body withdraws, its membership ends,
or an administrator sets its password; a re-activated account signs in afresh with both factors.

Two real session cookies per person (two `Client`s, as two browsers), on PostgreSQL.
"""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import UserSession
from accounts.tests.helpers import PASSWORD, device_token, sign_in
from audit.models import SignInEvent
from registry import services as registry_services
from registry.models import Person


def _browser(person, device=None) -> Client:
    """A browser signed in with password (and second factor for the roles that have one)."""
    client = Client()
    assert sign_in(client, person.user.username).status_code == 302
    if device is not None:
        assert client.post(reverse("accounts:otp_verify"), {"token": device_token(device)}).status_code == 302
    assert client.get("/").status_code == 200
    return client


def _two_browsers(person):
    device = services.totp_device_create(user=person.user, by=None) if person.role != "business_member" else None
    first = _browser(person, device)
    if device is not None:
        # The second browser needs a fresh time step: a TOTP token is accepted once.
        device.refresh_from_db()
        device.last_t -= 1
        device.save(update_fields=["last_t"])
    second = _browser(person, device)
    return first, second


def _signed_out(client) -> bool:
    response = client.get(reverse("registry:body_list"))
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def _ended_events(user):
    return SignInEvent.objects.filter(kind=SignInEvent.Kind.SESSIONS_ENDED, user=user)


@pytest.mark.django_db
def test_sessions_know_their_account(member):
    person = member(Person.Role.BUSINESS_MEMBER)
    first, second = _two_browsers(person)
    keys = {first.cookies[settings.SESSION_COOKIE_NAME].value, second.cookies[settings.SESSION_COOKIE_NAME].value}
    assert set(UserSession.objects.filter(user_id=person.user.pk).values_list("session_key", flat=True)) == keys


@pytest.mark.django_db
def test_deactivation_ends_every_session_and_reactivation_needs_both_factors(member, seikatsu):
    person = member(Person.Role.DEPARTMENT_STAFF, body=seikatsu)
    other = member(Person.Role.DEPARTMENT_STAFF, body=seikatsu)
    bystander = _browser(other, services.totp_device_create(user=other.user, by=None))
    first, second = _two_browsers(person)
    old_cookie = first.cookies[settings.SESSION_COOKIE_NAME].value

    user = person.user
    user.is_active = False
    user.save()  # what the admin's change form does

    assert not UserSession.objects.filter(user_id=user.pk).exists()
    assert _ended_events(user).count() == 1
    assert _signed_out(first) and _signed_out(second)
    assert bystander.get(reverse("registry:body_list")).status_code == 200

    user.is_active = True
    user.save()
    revived = Client()
    revived.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    assert _signed_out(revived)
    # Signing in again asks for the second factor before any page.
    assert sign_in(revived, user.username).status_code == 302
    assert revived.get(reverse("registry:body_list"))["Location"].startswith(reverse("accounts:otp_verify"))


@pytest.mark.django_db
def test_withdrawal_ends_every_session(member):
    person = member(Person.Role.BUSINESS_MEMBER)
    first, second = _two_browsers(person)
    registry_services.body_withdraw(body=person.body, left_on=timezone.localdate(), reason="", by=None)
    assert _signed_out(first) and _signed_out(second)
    assert not UserSession.objects.filter(user_id=person.user.pk).exists()
    assert _ended_events(person.user).count() == 1


@pytest.mark.django_db
def test_end_of_membership_today_ends_every_session(member, seikatsu):
    person = member(Person.Role.DEPARTMENT_STAFF, body=seikatsu)
    first, second = _two_browsers(person)
    registry_services.person_end(person=person, left_on=timezone.localdate(), by=None)
    assert _signed_out(first) and _signed_out(second)
    assert not UserSession.objects.filter(user_id=person.user.pk).exists()
    assert _ended_events(person.user).count() == 1
    # The person and the record stay.
    person.refresh_from_db()
    assert person.left_on == timezone.localdate()
    assert person.history.filter(left_on=timezone.localdate()).exists()
    # The password no longer opens anything.
    again = Client()
    response = sign_in(again, person.user.username)
    assert response.status_code == 200
    assert _signed_out(again)


@pytest.mark.django_db
def test_end_of_membership_later_keeps_sessions_until_that_day(member, seikatsu):
    person = member(Person.Role.BUSINESS_MEMBER)
    first, _ = _two_browsers(person)
    registry_services.person_end(person=person, left_on=timezone.localdate() + datetime.timedelta(days=3), by=None)
    assert first.get("/").status_code == 200
    assert UserSession.objects.filter(user_id=person.user.pk).count() == 2


@pytest.mark.django_db
def test_admin_password_change_ends_every_session(member, admin_client):
    person = member(Person.Role.BUSINESS_MEMBER)
    first, second = _two_browsers(person)
    url = reverse("admin:auth_user_password_change", args=[person.user.pk])
    new = "another-long-passphrase"
    response = admin_client.post(url, {"password1": new, "password2": new, "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _signed_out(first) and _signed_out(second)
    assert not UserSession.objects.filter(user_id=person.user.pk).exists()
    assert _ended_events(person.user).count() == 1
    # The administrator's own session is untouched.
    assert admin_client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_own_password_change_keeps_this_session_and_ends_the_others(member):
    person = member(Person.Role.BUSINESS_MEMBER)
    first, second = _two_browsers(person)
    new = "another-long-passphrase"
    response = first.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert first.get(reverse("registry:business_home")).status_code == 200
    assert _signed_out(second)
    assert UserSession.objects.filter(user_id=person.user.pk).count() == 1
