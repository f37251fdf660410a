"""The public event form: the business signup's bot defences, the confirmation mail with its cancel link,
the waiting list that moves up, and the purge of public registrants after the retention period."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from outreach import reports as outreach_reports
from outreach.models import Registration
from outreach.services import ERASED_NAME
from registry.forms import signup_started_token
from tests.factories.outreach import make_event, make_registration
from tests.factories.registry import make_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_event(bodies):
    return make_event(audience="public", capacity=1, kind="lecture", title="講演会「気づく・つなぐ」")


def _data(**overrides):
    data = {
        "name": "上尾 花子",
        "name_kana": "あげお はなこ",
        "email": "hanako@example.jp",
        "privacy_accepted": "on",
        "started": signup_started_token(0),
    }
    data.update(overrides)
    return data


def _post(client, event, **overrides):
    return client.post(reverse("outreach:public_register", args=[event.uuid]), _data(**overrides))


def test_a_person_registers_and_gets_a_confirmation_with_a_cancel_link(
    client, public_event, django_capture_on_commit_callbacks
):
    assert client.get(reverse("outreach:public_register", args=[public_event.uuid])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, public_event)
    assert response.status_code == 302 and response["Location"] == reverse("outreach:public_done")
    registration = Registration.objects.get()
    assert (registration.status, registration.body, registration.name_kana) == ("registered", None, "アゲオ ハナコ")
    (message,) = mail.outbox
    assert message.to == ["hanako@example.jp"] and "お申込み受付" in message.subject
    assert f"/outreach/public/cancel/{registration.cancel_token}/" in message.body
    # History keeps the status changes, never the name or the address.
    history = registration.history.first()
    assert not hasattr(history, "name") and not hasattr(history, "email")


def test_the_second_person_waits_and_moves_up_when_the_first_cancels(
    client, public_event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, public_event)
        _post(client, public_event, name="上尾 次子", email="tsugiko@example.jp")
    first, second = Registration.objects.order_by("id")
    assert (first.status, second.status) == ("registered", "waiting")
    assert "キャンセル待ち" in mail.outbox[1].subject
    assert "キャンセル待ち" in client.get(reverse("outreach:public_done")).content.decode()

    path = reverse("outreach:public_cancel", args=[first.cancel_token])
    assert path in mail.outbox[0].body
    page = client.get(path)
    assert "申込を取り消しますか" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(path)
    assert "申込を取り消しました" in done.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("cancelled", "registered")
    promoted = mail.outbox[-1]
    assert promoted.to == ["tsugiko@example.jp"] and "参加確定" in promoted.subject
    # The link works once.
    assert "このリンクは使えません" in client.get(path).content.decode()


def test_a_filled_honeypot_or_a_too_fast_form_stores_nothing_but_looks_the_same(client, public_event, settings):
    settings.SIGNUP_MIN_FILL_SECONDS = 5
    import time

    assert _post(client, public_event, nickname="bot").status_code == 302
    assert _post(client, public_event, started=signup_started_token(time.time())).status_code == 302
    assert _post(client, public_event, started="forged").status_code == 302
    assert not Registration.objects.exists()
    assert mail.outbox == []


def test_the_public_form_is_rate_limited_per_address(client, public_event, settings):
    settings.OUTREACH_PUBLIC_RATE_LIMIT = (2, 3600)
    _post(client, public_event, email="a@example.jp")
    _post(client, public_event, email="b@example.jp")
    response = _post(client, public_event, email="c@example.jp")
    assert response.status_code == 429
    assert Registration.objects.count() == 2


def test_a_members_only_event_has_no_public_form(client, bodies):
    event = make_event(audience="members")
    assert client.get(reverse("outreach:public_register", args=[event.uuid])).status_code == 404


def test_a_past_event_takes_no_more_registrations(client, bodies):
    event = make_event(audience="public", days_ahead=-1)
    response = _post(client, event)
    assert response.status_code == 200 and "締め切りました" in response.content.decode()
    assert not Registration.objects.exists()


def test_public_registrants_are_purged_after_the_retention_period_members_stay(bodies, settings, time_machine):
    settings.OUTREACH_PUBLIC_REGISTRANT_DAYS = 365
    time_machine.move_to("2025-11-20 10:00 +09:00")
    old = make_event(audience="public", days_ahead=0)  # ends 2025-11-20 16:00
    recent = make_event(audience="public", days_ahead=200)
    old_public = make_registration(event=old)
    member = make_registration(event=old, body=make_body())
    recent_public = make_registration(event=recent)

    time_machine.move_to("2026-11-20 10:00 +09:00")  # 365 days after: the cutoff is the start of 2025-11-20
    call_command("purge_event_registrants", verbosity=0)
    assert Registration.objects.filter(pk=old_public.pk).exists()

    time_machine.move_to(datetime.datetime(2026, 11, 22, 10, 0, tzinfo=datetime.UTC))
    figures = outreach_reports.events(old.fiscal_year).rows
    call_command("purge_event_registrants", verbosity=0)
    erased = Registration.objects.get(pk=old_public.pk)
    assert (erased.name, erased.name_kana, erased.email) == (ERASED_NAME, "", "")
    assert erased.cancel_token != old_public.cancel_token and erased.status == old_public.status
    assert Registration.objects.get(pk=member.pk).name == member.name
    assert Registration.objects.get(pk=recent_public.pk).email == recent_public.email
    # The year's event figures stay; nothing of the person remains in the row or its history.
    assert outreach_reports.events(old.fiscal_year).rows == figures
    assert not Registration.objects.filter(name=old_public.name).exists()
    assert not Registration.objects.filter(email=old_public.email).exists()
    erasure = Registration.history.filter(id=old_public.pk).latest("history_date")
    assert erasure.history_user.username == "system" and "削除" in erasure.history_change_reason
    assert not hasattr(erasure, "email") and not hasattr(erasure, "name")
    call_command("purge_event_registrants", verbosity=0)  # a second run finds nothing more to erase
    assert Registration.history.filter(id=old_public.pk).count() == 2
