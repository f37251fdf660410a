"""Forgotten password: a Japanese mail with a one-time link, no hint whether the address exists, limits per
address and per IP, every request logged, and the second factor still asked after the reset."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import UserSession
from accounts.tests.helpers import sign_in
from audit.models import SignInEvent
from registry.models import Person
from registry.services import person_end

NEW = "a-brand-new-passphrase-77"


def _ask(client, email):
    return client.post(reverse("password_reset"), {"email": email})


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


@pytest.fixture
def clerk(member, seikatsu):
    person = member(Person.Role.DEPARTMENT_STAFF, body=seikatsu)
    person.user.email = "clerk@city.example.jp"
    person.user.save(update_fields=["email"])
    return person


@pytest.mark.django_db
def test_reset_by_mail_then_both_factors(clerk, client, django_capture_on_commit_callbacks):
    device = services.totp_device_create(user=clerk.user, by=None)
    other_browser = Client()
    sign_in(other_browser, clerk.user.username)
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, "Clerk@City.example.jp")
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["clerk@city.example.jp"]
    assert message.subject == "【上尾市困難女性支援ネットワーク】パスワードの再設定"
    assert clerk.user.username in message.body

    page = client.get(_link(message), follow=True)
    assert "新しいパスワードの設定" in page.content.decode()
    response = client.post(page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert response["Location"] == reverse("password_reset_complete")
    # Every session of the account ended with the reset; the link cannot be used again.
    assert not UserSession.objects.filter(user_id=clerk.user.pk).exists()
    assert "このリンクは使えません" in client.get(_link(message), follow=True).content.decode()

    assert sign_in(client, clerk.user.username, NEW).status_code == 302
    assert client.get(reverse("registry:body_list"))["Location"].startswith(reverse("accounts:otp_verify"))
    assert device.user_id == clerk.user.pk
    kinds = list(SignInEvent.objects.filter(user=clerk.user).values_list("kind", flat=True).order_by("id"))
    assert SignInEvent.Kind.RESET_REQUESTED in kinds and SignInEvent.Kind.PASSWORD_CHANGE in kinds


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_answer_and_no_mail(clerk, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        known = _ask(client, "clerk@city.example.jp")
        unknown = _ask(Client(), "nobody@example.jp")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    anonymous = SignInEvent.objects.get(kind=SignInEvent.Kind.RESET_REQUESTED, user=None)
    assert anonymous.username == "" and anonymous.ip == "127.0.0.1"


@pytest.mark.django_db
def test_no_link_for_a_person_who_has_left(clerk, client, django_capture_on_commit_callbacks):
    person_end(person=clerk, left_on=timezone.localdate(), by=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert _ask(client, "clerk@city.example.jp").status_code == 302
    assert mail.outbox == []


@pytest.mark.django_db
def test_at_most_three_mails_per_address_an_hour(clerk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            assert _ask(Client(REMOTE_ADDR="10.0.0.9"), "clerk@city.example.jp").status_code == 302
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_requests_per_ip_are_limited(client, settings):
    settings.PASSWORD_RESET_RATE_LIMIT = (2, 3600)
    assert _ask(client, "a@example.jp").status_code == 302
    assert _ask(client, "b@example.jp").status_code == 302
    response = _ask(client, "c@example.jp")
    assert response.status_code == 429
    assert "Retry-After" in response


@pytest.mark.django_db
def test_login_page_links_to_reset_and_signup(client):
    html = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in html
    assert f'href="{reverse("registry:signup")}"' in html
    assert "サインイン" not in html
