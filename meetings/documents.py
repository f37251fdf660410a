"""The minutes PDF (会議録) as a Japanese city files it.

Why two kinds of file: on approval the worker renders the minutes once, without any reader's name,
and stores that file with its SHA-256. For Art. 7/8 that stored file is what everyone downloads, so a
printed copy can be checked against the hash shown on the page. An Art. 9 copy must carry 取扱注意
and the reader's name and time on every page, which a single stored file cannot; so each Art. 9
download is rendered for its reader from the locked content, and prints the SHA-256 of the approved
content (the same value the stored archive copy prints), which ties every copy to what was approved.
"""

import hashlib
import json

from django.utils import timezone

from ageo_network.documents import PDF, Document
from ageo_network.pdf import pdf_document
from ageo_network.uploads import private_storage
from meetings.models import Attendee, Meeting


def minutes_context(meeting: Meeting) -> dict:
    """Everything the minutes show, loaded in a fixed number of queries."""
    attendees = list(
        meeting.attendees.filter(withdrawn=False).select_related("person__body", "invitation").order_by("id")
    )
    present = [a for a in attendees if a.was_present]
    by_body: dict[str, list[Attendee]] = {}
    for attendee in present:
        if not attendee.is_external:
            by_body.setdefault(attendee.person.body.name, []).append(attendee)
    invitations = list(meeting.invitations.select_related("body"))
    present_bodies = {a.person.body_id for a in present if not a.is_external}
    items = list(
        meeting.agenda_items.select_related("case").prefetch_related("actions__body").order_by("position", "id")
    )
    minutes = meeting.minutes
    return {
        "meeting": meeting,
        "minutes": minutes,
        "attending_bodies": sorted(by_body.items()),
        "externals": [a for a in present if a.is_external],
        "absent_bodies": [i.body for i in invitations if i.body_id not in present_bodies],
        "absent_people": [a for a in attendees if a.attendance == Attendee.Attendance.ABSENT],
        "items": items,
        "actions": [action for item in items for action in item.actions.all()],
        "errata": list(minutes.errata.all()),
    }


def minutes_content_hash(meeting: Meeting) -> str:
    """SHA-256 of the approved content (a canonical JSON of what the minutes say), printed in every copy."""
    context = minutes_context(meeting)
    content = {
        "title": meeting.title,
        "date": meeting.date.isoformat(),
        "start": meeting.start_time.isoformat(),
        "end": meeting.end_time.isoformat(),
        "place": meeting.place or meeting.online_url,
        "attendees": [[body, [a.display_name for a in people]] for body, people in context["attending_bodies"]],
        "externals": [[a.external_name, a.external_affiliation] for a in context["externals"]],
        "absent": [body.name for body in context["absent_bodies"]],
        "items": [[i.position, i.title, i.matter, i.presenter, i.discussion, i.decisions] for i in context["items"]],
        "actions": [[a.body.name, a.description, a.due_on.isoformat()] for a in context["actions"]],
        "next": meeting.next_meeting,
    }
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _filename(meeting: Meeting) -> str:
    return f"会議録_{meeting.title}.pdf".replace(" ", "")


def minutes_pdf_document(meeting: Meeting, *, reader: str = "", at=None) -> Document:
    """Render the minutes. `reader` (Art. 9 only) puts 取扱注意 and the reader's watermark on every page."""
    minutes = meeting.minutes
    at = timezone.localtime(at or minutes.approved_at or timezone.now())
    context = {
        **minutes_context(meeting),
        "title": meeting.title,
        "issued": timezone.localtime(minutes.approved_at) if minutes.approved_at else at,
        "handling": meeting.is_case_review,
        "reader": reader if meeting.is_case_review else "",
        "at": at,
    }
    return pdf_document(_filename(meeting), "pdf/minutes.html", context)


def stored_minutes_document(meeting: Meeting) -> Document:
    """The file stored on approval, byte for byte (Art. 7/8 downloads and the public page)."""
    with private_storage().open(meeting.minutes.pdf_path, "rb") as file:
        content = file.read()
    return Document(filename=_filename(meeting), content_type=PDF, content=content)
