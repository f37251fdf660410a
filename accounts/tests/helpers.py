"""Helpers for the sign-in tests: a known password, real TOTP tokens, a fixed start time."""

import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse
from django_otp.oath import TOTP

from registry.models import Person

PASSWORD = "correct-horse-battery"
START = datetime.datetime(2025, 4, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
TWO_FACTOR_ROLES = [
    Person.Role.SECRETARIAT,
    Person.Role.HUB_WORKER,
    Person.Role.HUB_SUPERVISOR,
    Person.Role.DEPARTMENT_STAFF,
    Person.Role.AGENCY_STAFF,
    Person.Role.SYSADMIN,
]


def token_for(key: bytes, **kwargs) -> str:
    """The current six-digit token of an authenticator app holding `key`."""
    return f"{TOTP(key, **kwargs).token():06d}"


def wrong_token_for(key: bytes) -> str:
    """Six digits that are no valid token now, nor one step before or after."""
    valid = {token_for(key, drift=drift) for drift in (-1, 0, 1)}
    candidate = int(token_for(key))
    while f"{candidate:06d}" in valid:
        candidate = (candidate + 1) % 1_000_000
    return f"{candidate:06d}"


def device_token(device) -> str:
    return token_for(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})
