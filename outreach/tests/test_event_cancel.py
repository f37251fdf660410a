"""Calling off an event: a confirmation page, one mail per public registrant still on the list (through the
worker, no personal data in the subject), nothing more to members; the event takes no registrations and shows
「中止」 on the list, its page and the public form."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from outreach import services
from outreach.models import Event, Registration
from registry.models import Body, Person
from registry.system import system_user
from tests.factories.outreach import make_event, make_registration
from tests.factories.registry import make_body

Role = Person.Role


@pytest.fixture
def secretariat_body(bodies):
    return Body.objects.get(code="dept-jinken-danjo")


@pytest.fixture
def public_event(bodies):
    event = make_event(audience=Event.Audience.PUBLIC, capacity=2, title="女性に対する暴力をなくす運動 講演会")
    pharmacy = make_body(name="あげお中央薬局")
    make_registration(event=event, body=pharmacy, name="薬局 花子")
    make_registration(event=event, name="一般 一子", email="ichiko@example.jp")
    make_registration(event=event, name="一般 二子", email="niko@example.jp", status=Registration.Status.WAITING)
    make_registration(event=event, name="一般 三子", email="sanko@example.jp", status=Registration.Status.CANCELLED)
    return event


def test_the_confirmation_page_says_who_is_told_and_the_post_cancels(
    client, login_as, secretariat_body, public_event, django_capture_on_commit_callbacks
):
    login_as(Role.SECRETARIAT, body=secretariat_body)
    url = reverse("outreach:event_cancel", args=[public_event.uuid])
    page = client.get(url).content.decode()
    assert "一般の申込者 2人" in page and "構成機関の申込 1人" in page
    public_event.refresh_from_db()
    assert not public_event.is_cancelled  # the page alone changes nothing
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        html = client.post(url, follow=True).content.decode()
    public_event.refresh_from_db()
    assert public_event.is_cancelled
    assert "行事「女性に対する暴力をなくす運動 講演会」を中止にしました。" in html
    assert 'id="event-cancelled">中止</span>' in html and 'id="event-cancel-link"' not in html
    # One mail to each public registrant registered or waiting; none to the one who had cancelled.
    assert sorted(m.to[0] for m in mail.outbox) == ["ichiko@example.jp", "niko@example.jp"]
    assert {m.subject for m in mail.outbox} == {"【中止のお知らせ】女性に対する暴力をなくす運動 講演会"}
    assert all("一般" not in m.subject for m in mail.outbox)
    assert any("一般 一子 様" in m.body for m in mail.outbox)
    assert Event.history.filter(id=public_event.pk).first().history_change_reason == "中止"


def test_cancelling_twice_or_after_the_start_is_refused_and_changes_nothing(
    client, login_as, secretariat_body, public_event, time_machine
):
    services.event_cancel(event=public_event, by=system_user())
    mail.outbox.clear()
    login_as(Role.SECRETARIAT, body=secretariat_body)
    html = client.post(reverse("outreach:event_cancel", args=[public_event.uuid]), follow=True).content.decode()
    assert "この行事は既に中止になっています。" in html and mail.outbox == []
    past = make_event(days_ahead=-1)
    with pytest.raises(ValidationError, match="開始した行事は中止にできません"):
        services.event_cancel(event=past, by=system_user())
    past.refresh_from_db()
    assert not past.is_cancelled


def test_a_cancelled_event_takes_no_registrations_and_shows_cancelled_everywhere(
    client, login_as, secretariat_body, public_event
):
    services.event_cancel(event=public_event, by=system_user())
    count = Registration.objects.count()
    # The public form shows 「中止」 and stores nothing.
    public_url = reverse("outreach:public_register", args=[public_event.uuid])
    page = client.get(public_url).content.decode()
    assert "中止" in page and "この行事は中止になりました。" in page and 'name="email"' not in page
    data = {"name": "遅れ 四子", "name_kana": "オクレ ヨツコ", "email": "late@example.jp", "privacy_accepted": "on"}
    client.post(public_url, data)
    assert Registration.objects.count() == count
    # Members: the register form is gone and a POST is refused in Japanese.
    pharmacy = Body.objects.get(name="あげお中央薬局")
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    detail = client.get(reverse("outreach:event_detail", args=[public_event.uuid])).content.decode()
    assert "この行事は中止になりました。" in detail and "自機関の人を申し込む" not in detail
    html = client.post(
        reverse("outreach:event_register", args=[public_event.uuid]), {"name": "遅れ 五子"}, follow=True
    ).content.decode()
    assert "この行事は中止になりました。" in html and Registration.objects.count() == count
    listing = client.get(reverse("outreach:event_list")).content.decode()
    assert '女性に対する暴力をなくす運動 講演会</a> <span class="badge text-bg-danger">中止</span>' in listing


def test_a_member_may_not_cancel_an_event(client, login_as, public_event):
    login_as(Role.BUSINESS_MEMBER, body=make_body())
    assert client.post(reverse("outreach:event_cancel", args=[public_event.uuid])).status_code == 403
    public_event.refresh_from_db()
    assert not public_event.is_cancelled


def test_after_the_cancellation_nobody_moves_up_or_down_and_nobody_is_mailed_so(
    public_event, django_capture_on_commit_callbacks
):
    services.event_cancel(event=public_event, by=system_user())
    registered = public_event.registrations.get(email="ichiko@example.jp")
    waiting = public_event.registrations.get(email="niko@example.jp")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(event=public_event, data={"capacity": 1}, by=system_user())
        registered.refresh_from_db()
        assert registered.status == "registered"  # not re-waitlisted
        services.event_update(event=public_event, data={"capacity": 5}, by=system_user())
        services.registration_cancel(registration=registered)  # the cancel link of the confirmation mail
    waiting.refresh_from_db()
    assert waiting.status == "waiting" and mail.outbox == []


def test_no_attendance_is_taken_for_a_cancelled_event(client, login_as, secretariat_body, public_event):
    services.event_cancel(event=public_event, by=system_user())
    registered = public_event.registrations.get(email="ichiko@example.jp")
    with pytest.raises(ValidationError, match="中止になった行事の出欠は記録できません"):
        services.attendance_record(event=public_event, attended_ids={registered.pk}, by=system_user())
    login_as(Role.SECRETARIAT, body=secretariat_body)
    detail = client.get(reverse("outreach:event_detail", args=[public_event.uuid])).content.decode()
    assert 'id="event-attendance-link"' not in detail
    url = reverse("outreach:event_attendance", args=[public_event.uuid])
    page = client.get(url, follow=True).content.decode()
    assert "中止になった行事の出欠は記録できません。" in page
    client.post(url, {"attended": [str(registered.pk)]})
    registered.refresh_from_db()
    assert registered.attended is not True
