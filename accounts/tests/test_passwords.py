"""The password change page refuses short, common, numeric and personal passwords, in Japanese."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.helpers import PASSWORD, sign_in
from audit.models import SignInEvent
from registry.models import Person
from tests.factories.registry import make_user

CHANGE = reverse("password_change")


def _change(client, new, old=PASSWORD):
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": new})


@pytest.fixture
def signed_in(client, member):
    person = member(Person.Role.BUSINESS_MEMBER, user=make_user(username="tanaka-hanako"))
    client.force_login(person.user)
    return person


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("Kx7#pq2", "このパスワードは短すぎます。最低 12 文字以上必要です。"),
        ("qwerty123456", "このパスワードは一般的すぎます。"),
        ("tanaka-hanako1", "このパスワードは ユーザー名 と似すぎています。"),
        ("738201945563", "このパスワードは数字しか使われていません。"),
    ],
)
def test_weak_passwords_are_refused_in_japanese(client, signed_in, new, message):
    response = _change(client, new)
    assert response.status_code == 200
    assert message in response.content.decode()
    signed_in.user.refresh_from_db()
    assert signed_in.user.check_password(PASSWORD)
    assert not SignInEvent.objects.filter(kind=SignInEvent.Kind.PASSWORD_CHANGE).exists()


@pytest.mark.django_db
def test_wrong_old_password_is_refused(client, signed_in):
    response = _change(client, "a-long-and-unusual-passphrase", old="not-my-password-at-all")
    assert "元のパスワードが間違っています" in response.content.decode()


@pytest.mark.django_db
def test_good_password_is_saved_logged_and_keeps_the_session(client, signed_in):
    response = _change(client, "kawa-no-nagare-wa-taezu-2024")
    assert response["Location"] == reverse("password_change_done")
    assert "パスワードを変更しました" in client.get(response["Location"]).content.decode()
    event = SignInEvent.objects.get(kind=SignInEvent.Kind.PASSWORD_CHANGE)
    assert event.user == signed_in.user
    assert event.ip == "127.0.0.1"
    assert client.get("/").status_code == 200
    assert sign_in(Client(), "tanaka-hanako", "kawa-no-nagare-wa-taezu-2024").status_code == 302
    assert sign_in(Client(), "tanaka-hanako", PASSWORD).status_code == 200


@pytest.mark.django_db
def test_two_factor_role_keeps_its_verification_after_a_password_change(client, login_as):
    login_as(Person.Role.HUB_WORKER)  # make_user's password is PASSWORD
    assert _change(client, "kawa-no-nagare-wa-taezu-2024")["Location"] == reverse("password_change_done")
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_password_page_is_japanese(client, signed_in):
    body = client.get(CHANGE).content.decode()
    assert "パスワード変更" in body and "元のパスワード" in body
