"""One person's day at the door, as the sign-in log records it: every event once, in order, with the IP."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.tests.helpers import device_token, sign_in, wrong_token_for
from audit.models import SignInEvent
from registry.models import Person

Kind = SignInEvent.Kind


@pytest.mark.django_db
def test_sign_in_journey_is_logged(member, clock):
    person = member(Person.Role.HUB_WORKER)
    user = person.user
    device = services.totp_device_create(user=user, by=None)
    client = Client()
    assert sign_in(client, user.username, "wrong-password-123").status_code == 200
    assert sign_in(client, user.username).status_code == 302
    verify = reverse("accounts:otp_verify")
    assert client.post(verify, {"token": wrong_token_for(device.bin_key)}).status_code == 200
    clock.shift(datetime.timedelta(seconds=2))
    assert client.post(verify, {"token": device_token(device)}).status_code == 302
    new = "kawa-no-nagare-wa-taezu-2024"
    change = {"old_password": "correct-horse-battery", "new_password1": new, "new_password2": new}
    assert client.post(reverse("password_change"), change).status_code == 302
    assert client.post(reverse("logout")).status_code == 302

    events = list(SignInEvent.objects.order_by("id"))
    assert [e.kind for e in events] == [Kind.FAILURE, Kind.LOGIN, Kind.OTP_FAILURE, Kind.PASSWORD_CHANGE, Kind.LOGOUT]
    assert all(e.username == user.username for e in events)
    assert all(e.ip == "127.0.0.1" for e in events)
    assert events[0].user is None  # a failure names what was typed, not an account
    assert all(e.user == user for e in events[1:])
