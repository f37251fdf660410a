"""Sessions: a new key at sign-in, a dead cookie after sign-out, 30 minutes idle and 12 hours in all."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from accounts import services
from accounts.models import UserSession as Session
from accounts.tests.helpers import device_token, sign_in
from audit.models import SignInEvent
from registry.models import Person

MINUTE = datetime.timedelta(minutes=1)


def _cookie(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _signed_in_and_verified(person) -> Client:
    device = services.totp_device_create(user=person.user, by=None)
    client = Client()
    assert sign_in(client, person.user.username).status_code == 302
    assert client.post(reverse("accounts:otp_verify"), {"token": device_token(device)}).status_code == 302
    return client


@pytest.mark.django_db
def test_sign_in_gives_a_new_session_key(member):
    person = member(Person.Role.BUSINESS_MEMBER)
    client = Client()
    # An anonymous session first (as a fixation attacker would plant it).
    session = client.session
    session["planted"] = True
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    before = session.session_key
    assert Session.objects.filter(session_key=before).exists()

    assert sign_in(client, person.user.username).status_code == 302
    after = _cookie(client)
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert Session.objects.get(session_key=after).get_decoded()["_auth_user_id"] == str(person.user.pk)


@pytest.mark.django_db
def test_after_sign_out_the_old_cookie_is_dead(member, clock):
    person = member(Person.Role.HUB_WORKER)
    client = _signed_in_and_verified(person)
    assert client.get("/").status_code == 200
    old = _cookie(client)

    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert not Session.objects.filter(session_key=old).exists()

    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old
    response = replay.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert replay.get(reverse("registry:body_list"))["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_idle_session_ends_after_30_minutes(member, clock):
    person = member(Person.Role.HUB_SUPERVISOR)
    client = _signed_in_and_verified(person)
    cookie = _cookie(client)
    clock.shift(29 * MINUTE)
    assert client.get("/").status_code == 200
    clock.shift(29 * MINUTE)  # 58 minutes after sign-in, 29 after the last page
    assert client.get("/").status_code == 200

    clock.shift(30 * MINUTE)
    path = reverse("registry:body_list")
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={path}"
    page = client.get(response["Location"])
    assert "一定時間操作がなかったため、ログアウトしました" in page.content.decode()
    event = SignInEvent.objects.get(kind=SignInEvent.Kind.SESSION_EXPIRED)
    assert event.user == person.user
    assert event.ip == "127.0.0.1"
    assert not Session.objects.filter(session_key=cookie).exists()
    assert client.get("/")["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_idle_limit_follows_the_setting(member, clock, settings):
    settings.SESSION_IDLE_MINUTES = 5
    person = member(Person.Role.DEPARTMENT_STAFF)
    client = _signed_in_and_verified(person)
    clock.shift(4 * MINUTE)
    assert client.get("/").status_code == 200
    clock.shift(5 * MINUTE)
    assert client.get("/")["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_busy_session_still_ends_12_hours_after_sign_in(member, clock):
    person = member(Person.Role.SECRETARIAT)
    client = _signed_in_and_verified(person)
    elapsed = datetime.timedelta(0)
    step = 25 * MINUTE
    while elapsed + step < datetime.timedelta(hours=12):
        clock.shift(step)
        elapsed += step
        assert client.get("/").status_code == 200, elapsed
    clock.shift(datetime.timedelta(hours=12) - elapsed)
    response = client.get("/")
    assert response["Location"].startswith(reverse("login"))
    assert "ログインから長時間が経過したため" in client.get(response["Location"]).content.decode()
    assert SignInEvent.objects.filter(kind=SignInEvent.Kind.SESSION_EXPIRED, user=person.user).count() == 1


@pytest.mark.django_db
def test_session_row_and_cookie_end_with_the_absolute_limit(member, clock):
    person = member(Person.Role.AGENCY_STAFF)
    client = _signed_in_and_verified(person)
    session = Session.objects.get(session_key=_cookie(client))
    # 12 hours plus the idle allowance, so the middleware (not a vanished row) records the expiry.
    assert session.expire_date == timezone.now() + datetime.timedelta(hours=12, minutes=30)


@pytest.mark.django_db
def test_business_member_session_has_no_short_limit(member, clock):
    person = member(Person.Role.BUSINESS_MEMBER)
    client = Client()
    sign_in(client, person.user.username)
    clock.shift(datetime.timedelta(hours=3))
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_expired_session_is_logged_out_of_two_factor_too(member, clock):
    person = member(Person.Role.HUB_WORKER)
    client = _signed_in_and_verified(person)
    assert DEVICE_ID_SESSION_KEY in client.session
    clock.shift(31 * MINUTE)
    client.get("/")
    sign_in(client, person.user.username)
    assert client.get("/")["Location"].startswith(reverse("accounts:otp_verify"))
