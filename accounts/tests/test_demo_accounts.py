"""`make run`'s demo accounts stay usable behind two-factor sign-in: each run prints a fresh backup code."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.helpers import sign_in


def _run_demo_accounts() -> dict[str, list[str]]:
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    return {line.split()[0]: line.split()[1:] for line in out.getvalue().splitlines() if line.startswith("  demo-")}


@pytest.mark.django_db
def test_every_run_prints_a_fresh_code_that_signs_in(bodies, settings):
    settings.DEBUG = True
    first, second = _run_demo_accounts(), _run_demo_accounts()
    assert first["demo-business"][1] == "-"
    two_factor = [name for name in first if name != "demo-business"]
    assert len(two_factor) == 6
    for name in two_factor:
        assert TOTPDevice.objects.get(user__username=name).confirmed
        password, code = first[name][:2]
        assert second[name][0] == password
        assert second[name][1] != code
    password = first["demo-hub"][0]
    for code in (first["demo-hub"][1], second["demo-hub"][1]):
        client = Client()
        assert sign_in(client, "demo-hub", password).status_code == 302
        assert client.post(reverse("accounts:otp_verify"), {"token": code})["Location"] == reverse("home")
    client = Client()
    sign_in(client, "demo-hub", password)
    assert client.post(reverse("accounts:otp_verify"), {"token": first["demo-hub"][1]}).status_code == 200
