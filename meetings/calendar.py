"""iCalendar (RFC 5545) for meeting mail: one VEVENT per meeting with a stable UID; SEQUENCE counts changes."""

import icalendar
from django.conf import settings
from django.utils import timezone

from ageo_network.mail import absolute_url

REQUEST = "REQUEST"
CANCEL = "CANCEL"
ICS_MIMETYPE = "text/calendar"


def meeting_uid(meeting) -> str:
    # Stable for the meeting's whole life, so calendars update the event instead of adding a second one.
    return f"meeting-{meeting.uuid}@ageo-network"


def meeting_ics(meeting, *, method: str = REQUEST) -> str:
    """The meeting as an iCalendar text: title, times, place and a link — never an agenda or a case."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Ageo City//Women Support Network//JA")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", meeting.title)
    location = meeting.place or meeting.online_url
    if location:
        event.add("location", location)
    url = absolute_url(meeting.get_absolute_url())
    event.add("url", url)
    event.add("description", f"詳細と出欠の回答: {url}")
    event.add("organizer", f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    cal.add_component(event)
    return cal.to_ical().decode()


def ics_attachment(meeting, *, method: str = REQUEST) -> tuple[str, str, str]:
    return ("meeting.ics", meeting_ics(meeting, method=method), ICS_MIMETYPE)


def feed_ics(meetings) -> str:
    """A person's calendar feed: every meeting their body is invited to (titles never name anyone)."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Ageo City//Women Support Network//JA")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "上尾市困難女性支援ネットワーク 会議")
    for meeting in meetings:
        event = icalendar.Event()
        event.add("uid", meeting_uid(meeting))
        event.add("sequence", meeting.sequence)
        event.add("dtstamp", timezone.now())
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        event.add("summary", meeting.title)
        event.add("url", absolute_url(meeting.get_absolute_url()))
        event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical().decode()
