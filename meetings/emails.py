"""Every email of the meetings app: one function per message. A meeting email carries the meeting's
title (which never names anyone), its date and a link; invitations, changes and cancellations carry
an iCalendar file. One message per recipient (ageo_network.mail)."""

from collections.abc import Iterable

from ageo_network.mail import absolute_url, send_templated
from ageo_network.wareki import wareki_date
from meetings.calendar import CANCEL, REQUEST, ics_attachment


def _addresses(people: Iterable) -> list[str]:
    return [person.user.email for person in people]


def _context(meeting) -> dict:
    return {
        "title": meeting.title,
        "date": wareki_date(meeting.date, weekday=True),
        "start": meeting.start_time.strftime("%H:%M"),
        "end": meeting.end_time.strftime("%H:%M"),
        "answer_by": wareki_date(meeting.answer_by, weekday=True) if meeting.answer_by else "",
        "url": absolute_url(meeting.get_absolute_url()),
    }


def meeting_invitation(meeting, people: Iterable) -> int:
    """招集通知: to each current person of an invited body, with the meeting as an iCalendar REQUEST."""
    return send_templated(
        "meetings_invitation",
        to=_addresses(people),
        context=_context(meeting),
        attachments=[ics_attachment(meeting, method=REQUEST)],
    )


def meeting_changed(meeting, people: Iterable) -> int:
    """A change of date, time or place: the same UID with a higher SEQUENCE updates the calendar entry."""
    return send_templated(
        "meetings_changed",
        to=_addresses(people),
        context=_context(meeting),
        attachments=[ics_attachment(meeting, method=REQUEST)],
    )


def meeting_cancelled(meeting, people: Iterable) -> int:
    return send_templated(
        "meetings_cancelled",
        to=_addresses(people),
        context=_context(meeting),
        attachments=[ics_attachment(meeting, method=CANCEL)],
    )


def minutes_circulated(meeting, people: Iterable) -> int:
    """To the attendees: the draft minutes wait for their confirmation (a link, never the content)."""
    context = {**_context(meeting), "confirm_by": ""}
    minutes = meeting.minutes
    if minutes.confirm_by:
        context["confirm_by"] = wareki_date(minutes.confirm_by, weekday=True)
    return send_templated("meetings_minutes_circulated", to=_addresses(people), context=context)


def minutes_reminder(meeting, people: Iterable) -> int:
    """To the attendees who have not confirmed the draft minutes yet: the deadline and a link."""
    context = {**_context(meeting), "confirm_by": ""}
    if meeting.minutes.confirm_by:
        context["confirm_by"] = wareki_date(meeting.minutes.confirm_by, weekday=True)
    return send_templated("meetings_minutes_reminder", to=_addresses(people), context=context)
