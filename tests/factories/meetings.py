"""make_<model>(**overrides) factories for the meetings tests."""

import datetime

from django.utils import timezone

from meetings import services
from meetings.models import Meeting, Minutes
from registry.models import Body, Person
from tests.factories.registry import make_person

Role = Person.Role
# A Wednesday in fiscal year 2024 (令和6年度), not a holiday.
WEDNESDAY = datetime.date(2024, 11, 20)


def secretariat_body() -> Body:
    return Body.objects.get(code="dept-jinken-danjo")


def make_secretariat(**extra) -> Person:
    return make_person(role=Role.SECRETARIAT, body=secretariat_body(), **extra)


def make_meeting(*, kind=Meeting.Kind.REPRESENTATIVES, organiser: Person | None = None, invite=(), **data) -> Meeting:
    """A meeting (default: Art. 7 by a new secretariat person), with `invite` bodies invited."""
    if organiser is None:
        if kind == Meeting.Kind.CASE_REVIEW:
            organiser = make_person(role=Role.HUB_WORKER, body=Body.objects.get(code="hub"))
        else:
            organiser = make_secretariat()
    fields = {
        "date": timezone.localdate() + datetime.timedelta(days=14),
        "start_time": datetime.time(14, 0),
        "end_time": datetime.time(16, 0),
        "place": "上尾市役所 7階 大会議室",
    }
    fields.update(data)
    meeting = services.meeting_create(kind=kind, data=fields, organiser=organiser, by=organiser.user)
    if invite:
        services.invitations_send(meeting=meeting, bodies=list(invite), by=organiser.user)
    return meeting


def attend(meeting: Meeting, body, *people: Person):
    """The body's answer naming `people` as its attendees (for an Art. 9 meeting: their access to the sheets)."""
    invitation = meeting.invitations.get(body=body)
    return services.invitation_answer(invitation=invitation, attending=True, people=list(people), by=people[0].user)


def make_agenda_item(meeting: Meeting, **data):
    fields = {"title": "議題", "matter": Meeting.MATTERS[meeting.kind][0], "presenter": "事務局"}
    fields.update(data)
    return services.agenda_item_add(meeting=meeting, data=fields, by=meeting.organiser.user)


def circulate(meeting: Meeting) -> Minutes:
    if not meeting.agenda_items.exists():
        make_agenda_item(meeting)
    return services.minutes_circulate(
        meeting=meeting, confirm_by=timezone.localdate() + datetime.timedelta(days=7), by=meeting.organiser.user
    )


def lock_minutes(meeting: Meeting, *, content: bytes = b"%PDF-1.4 stored minutes\n") -> Minutes:
    """Approved and stored minutes without rendering (for tests about access, not the PDF)."""
    from ageo_network.history import save_tracked

    circulate(meeting)
    minutes = Minutes.objects.get(meeting=meeting)
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at = timezone.now()
    minutes.approved_by = meeting.organiser
    save_tracked(minutes, by=meeting.organiser.user, update_fields=["status", "approved_at", "approved_by"])
    return services.minutes_store_pdf(minutes=minutes, content=content, by=meeting.organiser.user)


def make_long_minutes(*, kind=Meeting.Kind.REPRESENTATIVES, items: int = 10, every_body: bool = False) -> Meeting:
    """A held meeting with `items` agenda items of long minutes, one attendee per invited body (for PDFs)."""
    from meetings.models import Attendee

    bodies = list(Body.objects.active()) if every_body else [Body.objects.get(code="dept-seikatsu-shien")]
    meeting = make_meeting(kind=kind, date=WEDNESDAY, invite=bodies, next_meeting="令和7年2月中旬")
    for body in bodies:
        role = Role.BUSINESS_MEMBER if body.kind == Body.Kind.BUSINESS else Role.AGENCY_STAFF
        if body.kind in (Body.Kind.DEPARTMENT, Body.Kind.HUB):
            role = Role.DEPARTMENT_STAFF if body.kind == Body.Kind.DEPARTMENT else Role.HUB_WORKER
        person = make_person(role=role, body=body)
        services.invitation_answer(
            invitation=meeting.invitations.get(body=body), attending=True, people=[person], by=person.user
        )
    states = {a.pk: Attendee.Attendance.PRESENT for a in meeting.attendees.all()}
    services.attendance_record(meeting=meeting, states=states, by=meeting.organiser.user)
    for n in range(items):
        item = make_agenda_item(meeting, title=f"議題{n + 1}")
        services.agenda_item_update(
            item=item,
            data={"discussion": "説明と質疑を行った。" * 30, "decisions": f"決定事項{n + 1}を確認した。"},
            by=meeting.organiser.user,
        )
        services.action_add(
            item=item,
            data={"body": bodies[n % len(bodies)], "description": f"対応{n + 1}", "due_on": WEDNESDAY},
            by=meeting.organiser.user,
        )
    return meeting
