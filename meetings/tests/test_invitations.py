import datetime

import icalendar
import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import services
from meetings.models import Attendee, Invitation
from registry.models import Body, Person
from tests.factories.meetings import make_meeting
from tests.factories.registry import make_body, make_person, make_user

Role = Person.Role
pytestmark = pytest.mark.django_db(transaction=False)


def _ics(message) -> icalendar.Calendar:
    (attachment,) = message.attachments
    filename, content, mimetype = attachment
    assert filename == "meeting.ics" and mimetype.startswith("text/calendar")
    return icalendar.Calendar.from_ical(content)


def _event(cal):
    (event,) = cal.walk("VEVENT")
    return event


def test_art_7_invites_every_current_body_by_default(art7):
    former = make_body(name="退会した事業所", status=Body.Status.FORMER, left_on=datetime.date(2024, 4, 1))
    business = make_body(name="あおば薬局")
    defaults = set(services.default_bodies(art7))
    assert defaults == set(Body.objects.active()) and former not in defaults
    assert business in defaults and len(defaults) == 27  # the 26 bodies of the fixtures and the business


def test_invitation_mail_one_recipient_each_with_a_valid_ics(art7, seikatsu, django_capture_on_commit_callbacks):
    people = [
        make_person(role=Role.DEPARTMENT_STAFF, body=seikatsu, user=make_user(email=f"s{n}@example.jp"))
        for n in range(2)
    ]
    business = make_body(name="あおば薬局")
    owner = make_person(body=business, user=make_user(email="aoba@example.jp"))
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(meeting=art7, bodies=[seikatsu, business], by=art7.organiser.user)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([p.user.email for p in people] + [owner.user.email])
    for message in mail.outbox:
        assert len(message.to) == 1 and not message.cc and not message.bcc
        cal = _ics(message)
        assert cal["METHOD"] == "REQUEST"
        event = _event(cal)
        assert str(event["UID"]) == f"meeting-{art7.uuid}@ageo-network"
        assert event["SEQUENCE"] == 0
        assert str(event["SUMMARY"]) == art7.title
        assert event.decoded("DTSTART") == art7.starts_at
        assert art7.title in message.subject


def test_a_change_raises_sequence_with_the_same_uid_and_a_cancel_says_cancel(
    art7, seikatsu, django_capture_on_commit_callbacks
):
    make_person(role=Role.DEPARTMENT_STAFF, body=seikatsu, user=make_user(email="s@example.jp"))
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(meeting=art7, bodies=[seikatsu], by=art7.organiser.user)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(meeting=art7, data={"start_time": datetime.time(13, 30)}, by=art7.organiser.user)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=art7, by=art7.organiser.user)
    invite, change, cancel = mail.outbox
    uids = {str(_event(_ics(m))["UID"]) for m in (invite, change, cancel)}
    assert len(uids) == 1
    assert [_event(_ics(m))["SEQUENCE"] for m in (invite, change, cancel)] == [0, 1, 2]
    assert _ics(change)["METHOD"] == "REQUEST" and _ics(cancel)["METHOD"] == "CANCEL"
    assert str(_event(_ics(cancel))["STATUS"]) == "CANCELLED"
    assert "【変更】" in change.subject and "【中止】" in cancel.subject


def test_a_change_of_chair_alone_sends_nothing(art7, seikatsu, django_capture_on_commit_callbacks):
    make_person(role=Role.DEPARTMENT_STAFF, body=seikatsu, user=make_user(email="s@example.jp"))
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(meeting=art7, bodies=[seikatsu], by=art7.organiser.user)
        services.meeting_update(meeting=art7, data={"next_meeting": "令和7年2月予定"}, by=art7.organiser.user)
    assert len(mail.outbox) == 1
    art7.refresh_from_db()
    assert art7.sequence == 0


def test_a_body_answers_with_named_attendees_and_can_change_before_the_deadline(art7, seikatsu):
    services.invitations_send(meeting=art7, bodies=[seikatsu], by=art7.organiser.user)
    invitation = art7.invitations.get()
    a, b = (make_person(role=Role.DEPARTMENT_STAFF, body=seikatsu) for _ in range(2))
    services.invitation_answer(invitation=invitation, attending=True, people=[a, b], by=a.user)
    assert set(art7.attendees.filter(withdrawn=False).values_list("person", flat=True)) == {a.pk, b.pk}
    services.invitation_answer(invitation=invitation, attending=True, people=[b], by=a.user)
    assert list(art7.attendees.filter(withdrawn=False).values_list("person", flat=True)) == [b.pk]
    services.invitation_answer(invitation=invitation, attending=False, people=[], by=a.user)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    assert not art7.attendees.filter(withdrawn=False).exists()
    assert invitation.history.count() >= 4


def test_only_people_of_the_body_can_be_named(art7, seikatsu, police):
    services.invitations_send(meeting=art7, bodies=[seikatsu], by=art7.organiser.user)
    stranger = make_person(role=Role.AGENCY_STAFF, body=police)
    with pytest.raises(ValidationError):
        services.invitation_answer(
            invitation=art7.invitations.get(), attending=True, people=[stranger], by=stranger.user
        )
    assert not Attendee.objects.exists()


def test_no_answer_after_the_deadline(bodies, seikatsu):
    with time_machine.travel(datetime.datetime(2024, 11, 1, 9, tzinfo=datetime.UTC)):
        meeting = make_meeting(
            date=datetime.date(2024, 11, 20), answer_by=datetime.date(2024, 11, 13), invite=[seikatsu]
        )
        person = make_person(role=Role.DEPARTMENT_STAFF, body=seikatsu)
    late = time_machine.travel(datetime.datetime(2024, 11, 14, 9, tzinfo=datetime.UTC))
    with late, pytest.raises(ValidationError, match="期限"):
        services.invitation_answer(
            invitation=meeting.invitations.get(), attending=True, people=[person], by=person.user
        )


def test_answer_view(client, login_as, art7, seikatsu):
    services.invitations_send(meeting=art7, bodies=[seikatsu], by=art7.organiser.user)
    me = login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
    invitation = art7.invitations.get()
    url = reverse("meetings:invitation_answer", args=[invitation.uuid])
    assert client.get(url).status_code == 200
    response = client.post(url, {"attending": "yes", "people": [me.pk]})
    assert response.status_code == 302
    assert art7.attendees.get().person == me
    assert client.put(url).status_code == 405


def test_answer_view_refuses_another_body(client, login_as, art7, seikatsu, police):
    services.invitations_send(meeting=art7, bodies=[seikatsu, police], by=art7.organiser.user)
    login_as(Role.AGENCY_STAFF, body=police)
    url = reverse("meetings:invitation_answer", args=[art7.invitations.get(body=seikatsu).uuid])
    assert client.post(url, {"attending": "no"}).status_code == 404


def test_home_shows_invitations_to_answer(client, login_as, art7, seikatsu):
    services.invitations_send(meeting=art7, bodies=[seikatsu], by=art7.organiser.user)
    login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
    page = client.get(reverse("home")).content.decode()
    assert "出欠の回答が必要な会議" in page and art7.title in page
