"""django-axes: five failures lock a user name for 30 minutes, and a name that does not exist behaves the same."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.helpers import PASSWORD, sign_in
from audit.models import SignInEvent
from registry.models import Person

LIMIT = 5


def _page(response, username) -> str:
    """The page without what differs by design: the CSRF token and the name typed into the form."""
    body = response.content.decode()
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
    return body.replace(username, "USERNAME")


@pytest.mark.django_db
def test_known_and_unknown_names_get_the_same_answers_up_to_and_after_the_lock(member):
    known = member(Person.Role.HUB_WORKER).user.username
    unknown = "no-such-person"
    answers = {}
    for name in (known, unknown):
        client = Client()
        answers[name] = [sign_in(client, name, "wrong-password-123") for _ in range(LIMIT + 1)]
        answers[name].append(sign_in(client, name, PASSWORD))
    statuses = [r.status_code for r in answers[known]]
    assert statuses == [200] * (LIMIT - 1) + [429] * 3
    assert [r.status_code for r in answers[unknown]] == statuses
    for known_response, unknown_response in zip(answers[known], answers[unknown], strict=True):
        assert _page(known_response, known) == _page(unknown_response, unknown)
    assert "正しいユーザー名とパスワードを入力してください" in answers[known][0].content.decode()
    lockout = answers[known][-1].content.decode()
    assert "ログインを一時的に停止しています" in lockout
    assert "30分間" in lockout
    assert '<html lang="ja">' in lockout


@pytest.mark.django_db
def test_locked_name_refuses_the_right_password_until_the_cool_off_ends(member, clock):
    person = member(Person.Role.SECRETARIAT)
    client = Client()
    for _ in range(LIMIT):
        sign_in(client, person.user.username, "wrong-password-123")
    response = sign_in(client, person.user.username)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    clock.shift(datetime.timedelta(minutes=29))
    assert sign_in(client, person.user.username).status_code == 429
    # The refused attempt during the lock did not restart the 30 minutes.
    clock.shift(datetime.timedelta(minutes=2))
    response = sign_in(client, person.user.username)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.user.pk)


@pytest.mark.django_db
def test_other_names_are_not_locked_with_it(member):
    locked, other = member(Person.Role.HUB_WORKER), member(Person.Role.HUB_WORKER)
    client = Client()
    for _ in range(LIMIT):
        sign_in(client, locked.user.username, "wrong-password-123")
    assert sign_in(client, other.user.username).status_code == 302


@pytest.mark.django_db
def test_success_resets_the_count(member):
    person = member(Person.Role.BUSINESS_MEMBER)
    client = Client()
    for _ in range(LIMIT - 1):
        sign_in(client, person.user.username, "wrong-password-123")
    assert sign_in(client, person.user.username).status_code == 302
    client.post(reverse("logout"))
    for _ in range(LIMIT - 1):
        assert sign_in(client, person.user.username, "wrong-password-123").status_code == 200


@pytest.mark.django_db
def test_failure_limit_follows_the_setting(member, settings):
    settings.AXES_FAILURE_LIMIT = 2
    person = member(Person.Role.BUSINESS_MEMBER)
    client = Client()
    assert sign_in(client, person.user.username, "wrong-password-123").status_code == 200
    assert sign_in(client, person.user.username, "wrong-password-123").status_code == 429


@pytest.mark.django_db
def test_the_admin_login_is_locked_too(django_user_model):
    django_user_model.objects.create_superuser("root-admin", password=PASSWORD)
    client = Client()
    for _ in range(LIMIT):
        client.post("/admin/login/", {"username": "root-admin", "password": "wrong-password-123"})
    response = client.post("/admin/login/", {"username": "root-admin", "password": PASSWORD})
    assert response.status_code == 429
    assert "ログインを一時的に停止しています" in response.content.decode()


@pytest.mark.django_db
def test_each_failure_is_logged_once_and_the_lock_once(member):
    person = member(Person.Role.HUB_SUPERVISOR)
    client = Client()
    for _ in range(LIMIT + 2):
        sign_in(client, person.user.username, "wrong-password-123")
    sign_in(client, "no-such-person", "wrong-password-123")
    events = SignInEvent.objects.filter(username=person.user.username)
    assert events.filter(kind=SignInEvent.Kind.FAILURE).count() == LIMIT + 2
    lockouts = events.filter(kind=SignInEvent.Kind.LOCKOUT)
    assert lockouts.count() == 1
    assert lockouts.get().user == person.user
    assert lockouts.get().ip == "127.0.0.1"
    assert SignInEvent.objects.filter(username="no-such-person", kind=SignInEvent.Kind.FAILURE).count() == 1
    assert not SignInEvent.objects.filter(kind=SignInEvent.Kind.LOGIN).exists()
