import datetime
import hashlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ageo_network.uploads import private_storage
from meetings import services
from meetings.models import Attendee, Correction, Meeting, Minutes
from registry.models import Person
from tests.factories.meetings import WEDNESDAY, make_agenda_item, make_meeting
from tests.factories.registry import make_body, make_person, make_user
from tests.pdfs import page_texts

Role = Person.Role
pytestmark = pytest.mark.django_db


@pytest.fixture
def held(bodies, seikatsu):
    """An Art. 7 meeting on a Wednesday: the department and a business attend, the police decline."""
    business = make_body(name="あおば薬局")
    meeting = make_meeting(date=WEDNESDAY, next_meeting="令和7年2月中旬（予定）")
    police = bodies.get(code="agency-ageo-police")
    services.invitations_send(meeting=meeting, bodies=[seikatsu, business, police], by=meeting.organiser.user)
    clerk = make_person(
        role=Role.DEPARTMENT_STAFF, body=seikatsu, name="市川 花子", user=make_user(email="clerk@example.jp")
    )
    owner = make_person(body=business, name="青葉 一郎", user=make_user(email="owner@example.jp"))
    services.invitation_answer(
        invitation=meeting.invitations.get(body=seikatsu), attending=True, people=[clerk], by=clerk.user
    )
    services.invitation_answer(
        invitation=meeting.invitations.get(body=business), attending=True, people=[owner], by=owner.user
    )
    services.invitation_answer(invitation=meeting.invitations.get(body=police), attending=False, people=[], by=None)
    states = {a.pk: Attendee.Attendance.PRESENT for a in meeting.attendees.all()}
    services.attendance_record(meeting=meeting, states=states, by=meeting.organiser.user)
    item = make_agenda_item(meeting, title="令和6年度の活動報告", presenter="事務局")
    services.agenda_item_update(
        item=item,
        data={"discussion": "事務局から活動状況を説明した。", "decisions": "啓発ポスターを全機関に配布する。"},
        by=meeting.organiser.user,
    )
    services.action_add(
        item=item,
        data={"body": business, "description": "ポスターを店頭に掲示する", "due_on": datetime.date(2024, 12, 20)},
        by=meeting.organiser.user,
    )
    meeting.clerk, meeting.owner, meeting.item = clerk, owner, item
    return meeting


def _approve(meeting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_approve(meeting=meeting, person=meeting.organiser, by=meeting.organiser.user)
    return Minutes.objects.get(meeting=meeting)


def test_the_whole_lifecycle_and_the_pdf(held, django_capture_on_commit_callbacks, mailoutbox):
    meeting = held
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_circulate(
            meeting=meeting, confirm_by=datetime.date.today() + datetime.timedelta(days=7), by=meeting.organiser.user
        )
    assert {m.to[0] for m in mailoutbox if "確認依頼" in m.subject} == {
        meeting.clerk.user.email,
        meeting.owner.user.email,
    }
    correction = services.correction_propose(
        item=meeting.item, person=meeting.owner, text="「配布」を「配布・掲示」に", by=meeting.owner.user
    )
    with pytest.raises(ValidationError):
        services.minutes_approve(meeting=meeting, person=meeting.organiser, by=meeting.organiser.user)
    services.correction_decide(
        correction=correction, accept=True, answer="", person=meeting.organiser, by=meeting.organiser.user
    )
    services.agenda_item_update(
        item=meeting.item, data={"decisions": "啓発ポスターを全機関に配布・掲示する。"}, by=meeting.organiser.user
    )

    minutes = _approve(meeting, django_capture_on_commit_callbacks)
    assert minutes.status == Minutes.Status.LOCKED
    with private_storage().open(minutes.pdf_path, "rb") as file:
        content = file.read()
    assert hashlib.sha256(content).hexdigest() == minutes.pdf_sha256
    pages = page_texts(content)
    text = "".join(pages)
    assert meeting.title.replace(" ", "") in text.replace(" ", "")
    assert "令和6年11月20日（水）" in text
    for name in ("健康福祉部生活支援課", "市川 花子", "あおば薬局", "青葉 一郎", "埼玉県上尾警察署"):
        assert name in text
    assert "配布・掲示する" in text and "ポスターを店頭に掲示する" in text
    assert "令和7年2月中旬" in text and minutes.content_sha256 in text.replace("\n", "").replace(" ", "")
    assert all(re.search(rf"\b{n}\s*/\s*{len(pages)}\b", page) for n, page in enumerate(pages, start=1))
    assert "取扱注意" not in text
    history = list(minutes.history.order_by("history_date").values_list("status", flat=True))
    assert history[0] == "draft" and "circulated" in history and "approved" in history and history[-1] == "locked"
    assert Correction.objects.get().status == Correction.Status.ACCEPTED


def test_locked_minutes_refuse_every_edit_and_take_numbered_errata(held, django_capture_on_commit_callbacks):
    meeting = held
    services.minutes_circulate(meeting=meeting, confirm_by=datetime.date.today(), by=meeting.organiser.user)
    _approve(meeting, django_capture_on_commit_callbacks)
    user = meeting.organiser.user
    with pytest.raises(ValidationError, match="訂正"):
        services.agenda_item_update(item=meeting.item, data={"discussion": "書き換え"}, by=user)
    with pytest.raises(ValidationError):
        services.agenda_item_add(meeting=meeting, data={"title": "追加", "matter": "organisation"}, by=user)
    with pytest.raises(ValidationError):
        services.attendance_record(meeting=meeting, states={meeting.attendees.first().pk: "absent"}, by=user)
    first = services.erratum_add(
        minutes=meeting.minutes, reason="誤字", text="「配布」→「配付」", person=meeting.organiser, by=user
    )
    second = services.erratum_add(
        minutes=meeting.minutes, reason="日付の誤り", text="期日を12月27日に", person=meeting.organiser, by=user
    )
    assert (first.number, second.number) == (1, 2)
    meeting.item.refresh_from_db()
    assert meeting.item.discussion == "事務局から活動状況を説明した。"


def test_edit_view_refuses_locked_minutes(client, login_as, bodies, held, django_capture_on_commit_callbacks):
    meeting = held
    services.minutes_circulate(meeting=meeting, confirm_by=datetime.date.today(), by=meeting.organiser.user)
    _approve(meeting, django_capture_on_commit_callbacks)
    login_as(Role.SECRETARIAT, body=bodies.get(code="dept-jinken-danjo"))
    url = reverse("meetings:agenda_item_update", args=[meeting.uuid, meeting.item.pk])
    response = client.post(url, {"discussion": "書き換え", "decisions": ""})
    assert response.status_code == 200 and "訂正" in response.content.decode()
    meeting.item.refresh_from_db()
    assert meeting.item.discussion == "事務局から活動状況を説明した。"


def test_publication_and_the_public_page(client, held, django_capture_on_commit_callbacks):
    meeting = held
    services.minutes_circulate(meeting=meeting, confirm_by=datetime.date.today(), by=meeting.organiser.user)
    minutes = _approve(meeting, django_capture_on_commit_callbacks)
    assert meeting.title not in client.get(reverse("meetings:public_minutes_list")).content.decode()
    services.minutes_publish(minutes=minutes, by=meeting.organiser.user)
    services.erratum_add(
        minutes=minutes, reason="誤字", text="「配布」→「配付」", person=meeting.organiser, by=meeting.organiser.user
    )
    page = client.get(reverse("meetings:public_minutes_list")).content.decode()
    assert meeting.title in page and minutes.pdf_sha256 in page
    assert "訂正1" in page and "「配布」→「配付」" in page  # the stored file stays as approved; errata beside it
    response = client.get(reverse("meetings:public_minutes_pdf", args=[meeting.uuid]))
    assert response.status_code == 200 and hashlib.sha256(response.content).hexdigest() == minutes.pdf_sha256
    assert "no-store" in response["Cache-Control"]


def test_case_review_minutes_are_never_published(bodies, django_capture_on_commit_callbacks):
    meeting = make_meeting(kind=Meeting.Kind.CASE_REVIEW)
    make_agenda_item(meeting)
    services.minutes_circulate(meeting=meeting, confirm_by=datetime.date.today(), by=meeting.organiser.user)
    minutes = _approve(meeting, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        services.minutes_publish(minutes=minutes, by=meeting.organiser.user)


def test_only_attendees_propose_corrections(held):
    services.minutes_circulate(meeting=held, confirm_by=datetime.date.today(), by=held.organiser.user)
    outsider = make_person(role=Role.DEPARTMENT_STAFF, body=held.clerk.body)
    with pytest.raises(ValidationError):
        services.correction_propose(item=held.item, person=outsider, text="修正", by=outsider.user)


def test_open_actions_on_the_body_home_until_done(client, login_as, held, django_capture_on_commit_callbacks):
    services.minutes_circulate(meeting=held, confirm_by=datetime.date.today(), by=held.organiser.user)
    _approve(held, django_capture_on_commit_callbacks)
    login_as(Role.BUSINESS_MEMBER, body=held.owner.body)
    page = client.get(reverse("home")).content.decode()
    assert "ポスターを店頭に掲示する" in page
    action = held.item.actions.get()
    assert client.post(reverse("meetings:action_done", args=[action.pk])).status_code == 302
    assert "ポスターを店頭に掲示する" not in client.get(reverse("home")).content.decode()


def test_the_chair_from_an_invited_body_approves(client, login_as, seikatsu, held, django_capture_on_commit_callbacks):
    chair = login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
    services.meeting_update(meeting=held, data={"chair": chair}, by=held.organiser.user)
    services.minutes_circulate(meeting=held, confirm_by=datetime.date.today(), by=held.organiser.user)
    assert "議長として会議録を承認する" in client.get(held.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:minutes_approve", args=[held.uuid]))
    assert response.status_code == 302
    minutes = Minutes.objects.get(meeting=held)
    assert minutes.approved_by == chair and minutes.status == Minutes.Status.LOCKED


def test_another_reader_cannot_approve(client, login_as, seikatsu, held):
    login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
    services.minutes_circulate(meeting=held, confirm_by=datetime.date.today(), by=held.organiser.user)
    assert client.post(reverse("meetings:minutes_approve", args=[held.uuid])).status_code == 403
    assert Minutes.objects.get(meeting=held).status == Minutes.Status.CIRCULATED


def _sign_in(client, person):
    from accounts.access import requires_two_factor
    from conftest import two_factor_verify
    from registry import services as registry_services
    from registry.models import PledgeVersion

    registry_services.pledge_accept(person=person, version=PledgeVersion.current(), ip="127.0.0.1", by=person.user)
    client.force_login(person.user)
    if requires_two_factor(person.user):
        two_factor_verify(client, person.user)


def test_attendees_confirm_and_the_unconfirmed_are_reminded_once_a_day(
    held, client, django_capture_on_commit_callbacks, mailoutbox
):
    """During circulation each attendee confirms or proposes; the organiser sees who did which and reminds the
    others by mail (one message each, at most once a day); the daily command reminds the day before the deadline."""
    import time_machine
    from django.core.management import call_command

    meeting = held
    deadline = datetime.date(2024, 11, 29)
    with time_machine.travel(datetime.datetime(2024, 11, 21, 1, 0, tzinfo=datetime.UTC), tick=False) as clock:
        services.minutes_circulate(meeting=meeting, confirm_by=deadline, by=meeting.organiser.user)
        with pytest.raises(ValidationError, match="出席者だけ"):
            services.minutes_confirm(meeting=meeting, person=meeting.organiser, by=meeting.organiser.user)

        _sign_in(client, meeting.clerk)
        page = client.get(meeting.get_absolute_url()).content.decode()
        assert 'id="minutes-confirm"' in page
        assert client.post(reverse("meetings:minutes_confirm", args=[meeting.uuid])).status_code == 302
        assert client.post(reverse("meetings:minutes_confirm", args=[meeting.uuid])).status_code == 302  # idempotent
        clerk_row = meeting.attendees.get(person=meeting.clerk)
        assert clerk_row.minutes_confirmed_at is not None
        assert clerk_row.history.filter(minutes_confirmed_at__isnull=False).count() == 1
        assert 'id="my-confirmation"' in client.get(meeting.get_absolute_url()).content.decode()

        organiser = meeting.organiser
        _sign_in(client, organiser)
        page = client.get(meeting.get_absolute_url()).content.decode()
        table = page.split('id="confirmations"')[1].split("</table>")[0]
        assert "市川 花子" in table and "確認済み" in table and "青葉 一郎" in table and "未確認" in table
        assert "未確認の1人に催促する" in page

        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(reverse("meetings:minutes_remind", args=[meeting.uuid])).status_code == 302
        reminders = [m for m in mailoutbox if "再送" in m.subject]
        assert [m.to for m in reminders] == [[meeting.owner.user.email]]
        assert "令和6年11月29日（金）" in reminders[0].body and "青葉" not in reminders[0].body
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("meetings:minutes_remind", args=[meeting.uuid]))
        assert len([m for m in mailoutbox if "再送" in m.subject]) == 1  # not twice the same day
        meeting.minutes.refresh_from_db()
        reminded_at = meeting.minutes.reminded_at

        # The day before the deadline the daily command reminds again, once.
        clock.move_to(datetime.datetime(2024, 11, 28, 0, 30, tzinfo=datetime.UTC))
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_meeting_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
            call_command("send_meeting_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert [m.to for m in mailoutbox] == [[meeting.owner.user.email]]
        meeting.minutes.refresh_from_db()
        assert meeting.minutes.reminded_at > reminded_at

        # Once everyone has confirmed there is nobody to remind.
        services.minutes_confirm(meeting=meeting, person=meeting.owner, by=meeting.owner.user)
        clock.move_to(datetime.datetime(2024, 11, 29, 3, 0, tzinfo=datetime.UTC))
        with pytest.raises(ValidationError, match="未確認の出席者はいません"):
            services.minutes_remind(meeting=meeting, by=organiser.user)
