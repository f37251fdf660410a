"""The two-factor gate, device set-up with a real TOTP token, the verify step and backup codes."""

import datetime
import re
from base64 import b32encode
from binascii import unhexlify
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.tests.helpers import PASSWORD, TWO_FACTOR_ROLES, device_token, sign_in, token_for, wrong_token_for
from audit.models import SignInEvent
from registry.models import Person

SETUP = reverse("accounts:otp_setup")
VERIFY = reverse("accounts:otp_verify")


def _next(path):
    return "?next=" + quote(path, safe="")


# --- The gate -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", TWO_FACTOR_ROLES)
def test_role_without_a_device_reaches_only_the_set_up_page(client, login_as, role):
    login_as(role, verified=False)
    for path in ["/", reverse("registry:body_list"), reverse("password_change"), "/admin/", VERIFY]:
        response = client.get(path)
        assert response.status_code == 302, path
        expected = SETUP if path == VERIFY else SETUP + _next(path)
        assert response["Location"] == expected, path
    assert client.get(SETUP).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("role", TWO_FACTOR_ROLES)
def test_role_with_a_device_is_sent_to_verify_until_verified(client, login_as, role):
    person = login_as(role, verified=False)
    services.totp_device_create(user=person.user, by=None)
    for path in ["/", reverse("registry:body_list"), "/admin/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == VERIFY + _next(path), path
    # The set-up page cannot add a second device for someone who only knows the password.
    assert client.get(SETUP)["Location"] == VERIFY
    assert client.get(VERIFY).status_code == 200


@pytest.mark.django_db
def test_business_member_needs_no_second_factor(client, login_as):
    login_as(Person.Role.BUSINESS_MEMBER, verified=False)
    assert client.get("/").status_code == 200
    assert client.get(SETUP).status_code == 403
    assert client.get(VERIFY).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", TWO_FACTOR_ROLES)
def test_verified_role_passes_the_gate(client, login_as, role):
    login_as(role)
    assert client.get("/").status_code == 200
    assert client.get(VERIFY)["Location"] == reverse("home")
    assert client.get(SETUP)["Location"] == reverse("home")


@pytest.mark.django_db
def test_admin_site_needs_the_second_factor(client, login_as):
    person = login_as(Person.Role.SYSADMIN, verified=False)
    assert person.user.is_staff is False  # the role alone triggers the gate
    person.user.is_staff = True
    person.user.save(update_fields=["is_staff"])
    device = services.totp_device_create(user=person.user, by=None)
    response = client.get("/admin/")
    assert response["Location"] == VERIFY + _next("/admin/")
    response = client.post(VERIFY, {"token": device_token(device), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_superuser_without_a_person_is_gated_from_the_admin(django_user_model):
    django_user_model.objects.create_superuser("root-admin", password=PASSWORD)
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "root-admin", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    response = client.get("/admin/")
    assert response["Location"] == SETUP + _next("/admin/")
    response = client.get("/admin/auth/user/")
    assert response.status_code == 302


@pytest.mark.django_db
def test_staff_account_without_a_role_is_gated(client, django_user_model):
    user = django_user_model.objects.create_user("staff-only", password=PASSWORD, is_staff=True)
    client.force_login(user)
    assert client.get("/")["Location"] == SETUP + _next("/")


@pytest.mark.django_db
def test_pledge_waits_until_after_the_second_factor(client, login_as):
    login_as(Person.Role.HUB_WORKER, pledged=False, verified=False)
    assert client.get("/")["Location"].startswith(SETUP)
    # The set-up page is exempt from the pledge gate, so it renders instead of bouncing to the pledge.
    assert client.get(SETUP).status_code == 200


# --- Device set-up --------------------------------------------------------------------------


@pytest.mark.django_db
def test_set_up_with_a_real_token_confirms_the_device_and_shows_backup_codes_once(client, login_as, clock):
    person = login_as(Person.Role.HUB_WORKER, verified=False)
    page = client.get(SETUP + _next("/registry/"))
    assert page.status_code == 200
    body = page.content.decode()
    key = client.session["accounts_totp_setup_key"]
    secret = b32encode(unhexlify(key)).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in body
    assert re.search(r'<img src="data:image/svg\+xml[^"]+" alt="認証アプリ設定用のQRコード"', body)
    assert "style=" not in body
    assert not TOTPDevice.objects.filter(user=person.user).exists()

    response = client.post(SETUP, {"token": token_for(unhexlify(key)), "next": "/registry/"})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == services.BACKUP_CODE_COUNT
    body = response.content.decode()
    assert all(code in body for code in codes)
    assert "この画面は二度と表示されません" in body
    assert 'href="/registry/"' in body
    device = TOTPDevice.objects.get(user=person.user)
    assert device.confirmed and device.key == key
    assert sorted(StaticToken.objects.filter(device__user=person.user).values_list("token", flat=True)) == sorted(codes)
    # Verified in this session; the codes are not shown again.
    assert client.get("/").status_code == 200
    assert client.get(SETUP)["Location"] == reverse("home")
    assert "accounts_totp_setup_key" not in client.session


@pytest.mark.django_db
def test_set_up_refuses_a_wrong_token(client, login_as):
    person = login_as(Person.Role.AGENCY_STAFF, verified=False)
    client.get(SETUP)
    wrong = wrong_token_for(unhexlify(client.session["accounts_totp_setup_key"]))
    response = client.post(SETUP, {"token": wrong})
    assert response.status_code == 200
    assert "確認コードが正しくありません" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=person.user).exists()
    assert SignInEvent.objects.filter(user=person.user, kind=SignInEvent.Kind.OTP_FAILURE).count() == 1
    assert client.get("/")["Location"].startswith(SETUP)


@pytest.mark.django_db
def test_set_up_keeps_the_secret_across_page_loads(client, login_as):
    login_as(Person.Role.SECRETARIAT, verified=False)
    client.get(SETUP)
    key = client.session["accounts_totp_setup_key"]
    client.get(SETUP)
    assert client.session["accounts_totp_setup_key"] == key


# --- Verify ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_full_sign_in_with_password_and_authenticator(member, clock):
    person = member(Person.Role.HUB_SUPERVISOR)
    device = services.totp_device_create(user=person.user, by=None)
    client = Client()
    response = sign_in(client, person.user.username)
    assert response["Location"] == reverse("home")
    response = client.get("/")
    assert response["Location"] == VERIFY + _next("/")
    response = client.post(VERIFY, {"token": device_token(device), "next": "/"})
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_a_token_is_accepted_once(member, clock):
    person = member(Person.Role.HUB_WORKER)
    device = services.totp_device_create(user=person.user, by=None)
    first, second = Client(), Client()
    sign_in(first, person.user.username)
    sign_in(second, person.user.username)
    token = device_token(device)
    assert first.post(VERIFY, {"token": token})["Location"] == reverse("home")
    response = second.post(VERIFY, {"token": token})
    assert response.status_code == 200
    assert "確認コードが正しくありません" in response.content.decode()


@pytest.mark.django_db
def test_wrong_token_is_refused_logged_and_throttled(member, clock):
    person = member(Person.Role.DEPARTMENT_STAFF)
    device = services.totp_device_create(user=person.user, by=None)
    client = Client()
    sign_in(client, person.user.username)
    wrong = wrong_token_for(device.bin_key)
    response = client.post(VERIFY, {"token": wrong})
    assert response.status_code == 200
    assert "確認コードが正しくありません" in response.content.decode()
    # Right away, even the right token waits out the throttle.
    response = client.post(VERIFY, {"token": device_token(device)})
    assert response.status_code == 200
    assert "秒ほど待ってから" in response.content.decode()
    assert client.get("/")["Location"].startswith(VERIFY)
    assert SignInEvent.objects.filter(user=person.user, kind=SignInEvent.Kind.OTP_FAILURE).count() == 2
    clock.shift(datetime.timedelta(seconds=2))
    assert client.post(VERIFY, {"token": device_token(device)})["Location"] == reverse("home")


@pytest.mark.django_db
def test_backup_code_works_once(member):
    person = member(Person.Role.SECRETARIAT)
    services.totp_device_create(user=person.user, by=None)
    code = services.backup_codes_add(user=person.user, by=None)[0]
    client = Client()
    sign_in(client, person.user.username)
    # Typed in capitals with a space, as people copy them.
    response = client.post(VERIFY, {"token": f"{code[:4].upper()} {code[4:]}"})
    assert response["Location"] == reverse("home")
    assert client.get("/").status_code == 200
    client.post(reverse("logout"))

    sign_in(client, person.user.username)
    response = client.post(VERIFY, {"token": code})
    assert response.status_code == 200
    assert "確認コードが正しくありません" in response.content.decode()
    assert client.get("/")["Location"].startswith(VERIFY)


@pytest.mark.django_db
def test_every_password_sign_in_owes_the_second_factor_again(member, clock):
    person = member(Person.Role.HUB_WORKER)
    device = services.totp_device_create(user=person.user, by=None)
    client = Client()
    sign_in(client, person.user.username)
    client.post(VERIFY, {"token": device_token(device)})
    assert client.get("/").status_code == 200
    sign_in(client, person.user.username)
    assert client.get("/")["Location"].startswith(VERIFY)


@pytest.mark.django_db
def test_verify_ignores_a_next_url_off_the_site(member, clock):
    person = member(Person.Role.HUB_WORKER)
    device = services.totp_device_create(user=person.user, by=None)
    client = Client()
    sign_in(client, person.user.username)
    response = client.post(VERIFY, {"token": device_token(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_verify_page_is_japanese_and_wrong_method_is_refused(member):
    person = member(Person.Role.HUB_WORKER)
    services.totp_device_create(user=person.user, by=None)
    client = Client()
    sign_in(client, person.user.username)
    body = client.get(VERIFY).content.decode()
    assert "二要素認証" in body and "バックアップコード" in body
    assert client.put(VERIFY).status_code == 405
    assert client.delete(SETUP).status_code == 405


@pytest.mark.django_db
def test_sysadmin_removes_a_lost_phone_in_the_admin_without_seeing_the_secret(client, login_as, member):
    admin = login_as(Person.Role.SYSADMIN)
    admin.user.is_staff = True
    admin.user.save(update_fields=["is_staff"])
    worker = member(Person.Role.HUB_WORKER)
    lost = services.totp_device_create(user=worker.user, by=None)
    change = client.get(reverse("admin:otp_totp_totpdevice_change", args=[lost.pk]))
    assert change.status_code == 200
    assert lost.key not in change.content.decode()
    response = client.post(reverse("admin:otp_totp_totpdevice_delete", args=[lost.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=lost.pk).exists()
    # The worker's next sign-in leads to set-up again.
    worker_client = Client()
    sign_in(worker_client, worker.user.username)
    assert worker_client.get("/")["Location"] == SETUP + _next("/")


@pytest.mark.django_db
def test_verifying_device_is_read_once_a_minute_and_its_removal_ends_verification(client, login_as, clock):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person = login_as(Person.Role.HUB_WORKER)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert not [q for q in queries if "otp_totp_totpdevice" in q["sql"]]
    TOTPDevice.objects.filter(user=person.user).delete()
    clock.shift(datetime.timedelta(seconds=30))
    assert client.get("/").status_code == 200
    clock.shift(datetime.timedelta(seconds=31))
    assert client.get("/")["Location"] == SETUP + _next("/")
