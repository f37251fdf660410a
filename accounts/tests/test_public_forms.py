"""Every public form answers over-long input and NUL bytes with a Japanese form error, never a 500;
public pages answer HEAD; a stale form gets the site's own page; refusals are one log line."""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from registry.models import Application, Person
from registry.tests.conftest import valid_signup_data
from tests.permission_matrix import ANON, make_world
from tests.test_permission_matrix import MATRIX

LONG = "あ" * 10_000
NUL_MESSAGE = "使用できない文字（NUL文字など）が含まれています。"
LENGTH_MESSAGE = "文字以内で入力してください"

LOGIN_FIELDS = ["username", "password"]
SIGNUP_TEXT_FIELDS = [
    "name",
    "name_kana",
    "representative",
    "contact_name",
    "contact_kana",
    "postal_code",
    "address",
    "phone",
    "email",
    "website",
    "activity_other",
]


def _page(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("field", LOGIN_FIELDS)
def test_login_refuses_a_long_value_with_a_form_error(client, field):
    data = {"username": "someone", "password": "whatever", field: "a" * 300 if field == "username" else "a" * 5000}
    response = client.post(reverse("login"), data)
    assert response.status_code == 200
    assert LENGTH_MESSAGE in _page(response)


@pytest.mark.django_db
def test_login_with_a_256_character_name_is_a_form_error_not_a_500(client):
    response = client.post(reverse("login"), {"username": "x" * 256, "password": "whatever"})
    assert response.status_code == 200
    assert "150文字以内で入力してください" in _page(response)


@pytest.mark.django_db
@pytest.mark.parametrize("field", LOGIN_FIELDS)
def test_login_refuses_nul_with_a_clear_message(client, field):
    data = {"username": "someone", "password": "whatever", field: "ab\x00c"}
    response = client.post(reverse("login"), data)
    assert response.status_code == 200
    assert NUL_MESSAGE in _page(response)
    assert "何か文字を入力してください" not in _page(response)


@pytest.mark.django_db
@pytest.mark.parametrize("field", SIGNUP_TEXT_FIELDS)
@pytest.mark.parametrize("value,message", [(LONG, LENGTH_MESSAGE), ("上尾\x00薬局", NUL_MESSAGE)])
def test_signup_refuses_long_values_and_nul(client, field, value, message):
    data = valid_signup_data(**{field: value, "activities": ["other"], "activity_other": "清掃"})
    data[field] = value
    response = client.post(reverse("registry:signup"), data)
    assert response.status_code == 200
    assert message in _page(response)
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_activation_link_form_refuses_nul_and_long_passwords(client, person_factory):
    from registry.services import activation_path

    person = person_factory(role=Person.Role.BUSINESS_MEMBER)
    person.user.set_unusable_password()
    person.user.save()
    url = client.get(activation_path(person.user))["Location"]
    for value, message in [("long-enough-pass\x00word", NUL_MESSAGE), ("x" * 5000, LENGTH_MESSAGE)]:
        response = client.post(url, {"new_password1": value, "new_password2": value})
        assert response.status_code == 200
        assert message in _page(response)


PUBLIC_PAGES = sorted(name for name, row in MATRIX.items() if row.public and row.method == "get")


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_answer_head(client, bodies, name):
    row = MATRIX[name]
    world = make_world()  # the permission matrix's own, so every app's kwargs builder finds what it needs
    world.role = ANON
    kwargs = row.kwargs(world) if row.kwargs and name != "registry:application_revise" else {}
    if name == "registry:application_revise":
        from registry.services import revise_token
        from tests.factories.registry import make_application

        kwargs = {"token": revise_token(make_application(status=Application.Status.CHANGES_REQUESTED))}
    response = client.head(reverse(name, kwargs=kwargs))
    assert response.status_code == row.expected(ANON), name


@pytest.mark.django_db
def test_head_on_the_login_and_signup_pages(client):
    assert client.head(reverse("login")).status_code == 200
    assert client.head("/registry/signup/").status_code == 200
    assert client.head("/registry/roster/").status_code == 200


@pytest.mark.django_db
def test_stale_login_form_gets_the_sites_own_page(member):
    person = member(Person.Role.BUSINESS_MEMBER)
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(reverse("login"))
    token = page.context["csrf_token"]
    # Signed in (and out) in another tab of the same browser: the token the open login form holds is stale.
    browser.cookies.pop("csrftoken", None)
    browser.get(reverse("login"))
    response = browser.post(
        reverse("login"),
        {
            "username": person.user.username,
            "password": "x",
            "csrfmiddlewaretoken": "0" * 64 if not token else token[:-4] + "abcd",
        },
    )
    assert response.status_code == 403
    html = _page(response)
    assert "画面の有効期限が切れました" in html
    assert 'href="/accounts/login/"' in html
    assert "上尾市困難女性支援ネットワーク" in html
    assert "CSRF" not in html and "DEBUG" not in html


@pytest.mark.django_db
def test_a_refusal_is_one_log_line(login_as, client, caplog):
    login_as(Person.Role.BUSINESS_MEMBER)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(reverse("registry:application_list")).status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    assert records[0].exc_info is None
    handler = logging.StreamHandler()
    assert "Traceback" not in handler.format(records[0])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value,message", [("a" * 300 + "@example.jp", LENGTH_MESSAGE), ("a\x00b@example.jp", NUL_MESSAGE)]
)
def test_password_reset_refuses_long_values_and_nul(client, value, message):
    response = client.post(reverse("password_reset"), {"email": value})
    assert response.status_code == 200
    assert message in _page(response)
