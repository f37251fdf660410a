"""The public signup form: validation, normalisation, abuse handling, storage and emails."""

import time

import pytest
from django.core import mail
from django.urls import reverse

from registry.forms import SignupForm, signup_started_token
from registry.models import Application, Body, Person
from registry.tests.conftest import valid_signup_data
from tests.factories.registry import make_person, make_user

URL = "/registry/signup/"


def test_the_printed_addresses_never_change():
    assert reverse("registry:signup") == "/registry/signup/"
    assert reverse("registry:roster_public") == "/registry/roster/"


# --- validation and normalisation ------------------------------------------------------------------------


@pytest.mark.django_db
def test_readings_must_be_katakana_but_hiragana_and_half_width_are_converted():
    form = SignupForm(valid_signup_data(name_kana="あげおやっきょく", contact_kana="ｱｹﾞｵ　ﾊﾅｺ"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name_kana"] == "アゲオヤッキョク"
    assert form.cleaned_data["contact_kana"] == "アゲオ ハナコ"
    form = SignupForm(valid_signup_data(name_kana="Ageo Yakkyoku", contact_kana="上尾花子"))
    assert not form.is_valid()
    assert form.errors["name_kana"] == ["フリガナはカタカナで入力してください。"]
    assert form.errors["contact_kana"] == ["フリガナはカタカナで入力してください。"]


@pytest.mark.django_db
def test_full_width_text_and_spaces_are_normalised():
    form = SignupForm(valid_signup_data(name="  あげお　薬局ＡＢＣ  ", email="Hanako@Example.JP"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "あげお 薬局ABC"
    assert form.cleaned_data["email"] == "hanako@example.jp"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("address", "choice", "in_city"),
    [
        ("埼玉県上尾市本町3-1-1", "auto", True),
        ("埼玉県さいたま市北区1-1", "auto", False),
        ("埼玉県上尾市本町3-1-1", "out", False),
        ("埼玉県桶川市1-1", "in", True),
    ],
)
def test_in_city_is_derived_from_the_address_unless_chosen(address, choice, in_city):
    form = SignupForm(valid_signup_data(address=address, in_city=choice))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["in_city"] is in_city


@pytest.mark.django_db
def test_other_activity_needs_its_text_and_roster_fields_need_consent():
    form = SignupForm(valid_signup_data(activities=["other"]))
    assert not form.is_valid()
    assert form.errors["activity_other"] == ["「その他」を選んだ場合は内容を入力してください。"]
    form = SignupForm(valid_signup_data(roster_consent="", roster_show_phone="on"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["roster_show_phone"] is False


@pytest.mark.django_db
def test_errors_are_japanese_next_to_each_field_and_every_value_survives(client):
    data = valid_signup_data(
        name_kana="ageo",
        postal_code="12-34",
        phone="12345",
        email="not-an-email",
        activities=["poster", "other"],
        activity_other="",
        rules_accepted=None,
        website="example.jp",
        roster_show_email="on",
    )
    response = client.post(URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    for message in [
        "フリガナはカタカナで入力してください。",
        "郵便番号は「123-4567」の形で入力してください。",
        "電話番号は「048-775-1234」のように",
        "有効なメールアドレスを入力してください。",
        "「その他」を選んだ場合は内容を入力してください。",
        "登録には、要綱と第10条の守秘義務への同意が必要です。",
    ]:
        assert message in html
    form = response.context["form"]
    # The bound form re-renders exactly what was typed, ticked and chosen.
    for field in ["name", "name_kana", "representative", "contact_name", "contact_kana", "address", "phone", "email"]:
        assert f'value="{data[field]}"' in str(form[field]), field
    assert form["activities"].value() == ["poster", "other"]
    assert 'value="pharmacy" selected' in str(form["business_kind"])
    assert "checked" in str(form["roster_show_email"])
    assert form["started"].value() == data["started"]
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_the_page_shows_the_full_text_of_article_10(client):
    from registry.models import PledgeVersion

    html = client.get(URL).content.decode()
    assert PledgeVersion.current().text.splitlines()[1] in html
    assert 'name="nickname"' in html and "visually-hidden" in html


# --- storage and emails ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_submission_is_stored_pending_with_a_reference_shown_and_emailed(client, bodies, on_commit):
    secretariat = make_person(
        role=Person.Role.SECRETARIAT,
        body=Body.objects.get(code="dept-jinken-danjo"),
        user=make_user(email="jimukyoku@city.example.jp"),
    )
    with on_commit():
        response = client.post(URL, valid_signup_data(phone="０４８－７７５－１２３４"))
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:signup_done")
    application = Application.objects.get()
    assert application.status == Application.Status.PENDING
    assert application.phone == "048-775-1234"
    assert application.in_city is True
    assert application.activities == ["poster", "leaflet"]
    assert application.ip == "127.0.0.1"
    assert application.history.count() == 1
    done = client.get(response["Location"]).content.decode()
    assert application.reference in done

    to_applicant, to_secretariat = sorted(mail.outbox, key=lambda m: m.to != ["hanako@example.jp"])
    assert to_applicant.to == ["hanako@example.jp"]
    assert application.reference in to_applicant.subject and application.reference in to_applicant.body
    assert to_secretariat.to == [secretariat.user.email]
    assert application.reference in to_secretariat.body
    assert f"/registry/applications/{application.uuid}/" in to_secretariat.body
    # The secretariat's notice is a link and a number, nothing the applicant typed.
    for personal in ["あげお薬局", "上尾 花子", "hanako@example.jp", "048-775-1234", "本町"]:
        assert personal not in to_secretariat.body and personal not in to_secretariat.subject


@pytest.mark.django_db
def test_reference_numbers_go_by_fiscal_year(client, time_machine):
    time_machine.move_to("2025-03-31 12:00 +09:00")
    client.post(URL, valid_signup_data(started=signup_started_token(time.time() - 60)))
    client.post(URL, valid_signup_data(started=signup_started_token(time.time() - 60)))
    time_machine.move_to("2025-04-01 09:00 +09:00")
    client.post(URL, valid_signup_data(started=signup_started_token(time.time() - 60)))
    assert list(Application.objects.order_by("id").values_list("reference", flat=True)) == [
        "R6-S0001",
        "R6-S0002",
        "R7-S0001",
    ]


@pytest.mark.django_db
def test_nothing_an_applicant_enters_grants_access(client):
    from django.contrib.auth import get_user_model

    client.post(URL, valid_signup_data())
    assert Application.objects.count() == 1
    assert get_user_model().objects.count() == 0
    assert not Body.objects.filter(kind=Body.Kind.BUSINESS).exists()
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_no_message_reveals_an_existing_registration(client, on_commit):
    from tests.factories.registry import make_body

    make_body(name="あげお薬局", email="hanako@example.jp", phone="048-775-1234")
    first = client.post(URL, valid_signup_data(), follow=True).content.decode()
    second = client.post(URL, valid_signup_data(), follow=True).content.decode()
    assert Application.objects.count() == 2
    for html in (first, second):
        assert "申請を受け付けました" in html
        assert "既に" not in html and "登録済" not in html


@pytest.mark.django_db
def test_csrf_is_enforced():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(URL, valid_signup_data())
    assert response.status_code == 403
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_wrong_method_is_405(client):
    assert client.put(URL).status_code == 405
    assert client.post(reverse("registry:signup_done")).status_code == 405


# --- abuse -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_filled_honeypot_gets_the_thank_you_page_and_nothing_is_stored(client, on_commit):
    with on_commit():
        response = client.post(URL, valid_signup_data(nickname="bot"), follow=True)
    assert response.status_code == 200
    assert "申請を受け付けました" in response.content.decode()
    assert response.context["reference"] is None
    assert Application.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_form_sent_faster_than_a_person_can_fill_it_is_dropped(client, settings):
    settings.SIGNUP_MIN_FILL_SECONDS = 5
    response = client.post(URL, valid_signup_data(started=signup_started_token(time.time() - 2)), follow=True)
    assert "申請を受け付けました" in response.content.decode()
    assert Application.objects.count() == 0
    client.post(URL, valid_signup_data(started=signup_started_token(time.time() - 6)))
    assert Application.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("started", ["", "1700000000", "forged:token"])
def test_a_missing_or_forged_timestamp_is_dropped(client, started):
    response = client.post(URL, valid_signup_data(started=started), follow=True)
    assert "申請を受け付けました" in response.content.decode()
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_a_form_left_open_for_days_is_asked_again_not_dropped(client, time_machine):
    time_machine.move_to("2025-06-01 10:00 +09:00")
    shown = signup_started_token()
    time_machine.move_to("2025-06-04 10:00 +09:00")
    response = client.post(URL, valid_signup_data(started=shown))
    assert response.status_code == 200
    assert "もう一度送信してください" in response.content.decode()
    # Sending the refreshed form at once goes through (the new timestamp is not "too fast").
    client.post(URL, valid_signup_data(started=response.context["form"].data["started"]))
    assert Application.objects.count() == 1


@pytest.mark.django_db
def test_the_rate_limit_answers_429_in_japanese_per_ip(client, settings):
    settings.SIGNUP_RATE_LIMIT = (3, 3600)
    for _ in range(3):
        assert client.post(URL, valid_signup_data()).status_code == 302
    response = client.post(URL, valid_signup_data())
    assert response.status_code == 429
    assert "送信の回数が多すぎます" in response.content.decode()
    assert response["Retry-After"] == "3600"
    assert Application.objects.count() == 3
    # Reading the form is not limited, and another address is counted apart.
    assert client.get(URL).status_code == 200
    from django.test import Client

    assert Client(REMOTE_ADDR="192.0.2.10").post(URL, valid_signup_data()).status_code == 302
