"""The sentinel, extended to meetings: the woman's planted name appears in no meeting title, mail (or its
.ics), URL, page title, minutes PDF, log line or access-log row — even with her name ticked onto the sheet."""

import datetime
import logging

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLog
from cases.tests.test_sentinel import TITLE_RE
from conftest import _login_as
from meetings.models import Meeting, Minutes
from registry.models import Body, Person
from tests.factories.cases import make_case
from tests.pdfs import page_texts_with_rotated

Role = Person.Role
SENTINEL = "QZXSENTINEL"


@pytest.mark.django_db
def test_the_sentinel_never_leaks_from_a_case_review_meeting(bodies, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    urls, titles, pdf_texts = [], [], []
    hub, seikatsu = Body.objects.get(code="hub"), Body.objects.get(code="dept-seikatsu-shien")

    def call(client, method, url, data=None):
        response = getattr(client, method)(url, data or {})
        urls.append(url)
        if response.get("Location"):
            urls.append(response["Location"])
        if response.get("Content-Type", "").startswith("text/html"):
            titles.extend(TITLE_RE.findall(response.content.decode()))
        if response.get("Content-Type") == "application/pdf":
            pdf_texts.extend(page_texts_with_rotated(response.content))
        return response

    with django_capture_on_commit_callbacks(execute=True):
        worker_client, member_client = Client(), Client()
        worker = _login_as(worker_client, Role.HUB_WORKER, hub)
        member = _login_as(member_client, Role.DEPARTMENT_STAFF, seikatsu)
        for person in (worker, member):
            person.user.email = f"{person.user.username}@example.org"
            person.user.save()
        case = make_case(lead=worker, name=f"{SENTINEL}花子", address=f"上尾市{SENTINEL}町", categories=["dv"])

        day = timezone.localdate() + datetime.timedelta(days=3)
        call(
            worker_client,
            "post",
            reverse("meetings:meeting_create"),
            {
                "kind": "case_review",
                "date": day.isoformat(),
                "start_time": "10:00",
                "end_time": "11:00",
                "place": "センター",
            },
        )
        meeting = Meeting.objects.get()
        call(
            worker_client,
            "post",
            reverse("meetings:agenda_item_create", args=[meeting.uuid]),
            {"title": "支援方針", "matter": "case_support", "presenter": "相談員", "case_number": case.number},
        )
        call(
            worker_client,
            "post",
            reverse("meetings:review_sheet_create", args=[meeting.uuid]),
            {"case": str(case.uuid), "fields": ["name", "categories"]},
        )
        call(worker_client, "post", reverse("meetings:meeting_invite", args=[meeting.uuid]), {"bodies": [seikatsu.pk]})
        call(
            worker_client,
            "post",
            reverse("meetings:meeting_update", args=[meeting.uuid]),
            {"date": day.isoformat(), "start_time": "10:30", "end_time": "11:30", "place": "センター"},
        )
        call(member_client, "get", reverse("meetings:meeting_list"))
        call(member_client, "get", meeting.get_absolute_url())
        invitation = meeting.invitations.get()
        call(
            member_client,
            "post",
            reverse("meetings:invitation_answer", args=[invitation.uuid]),
            {"attending": "yes", "people": [member.pk]},
        )
        call(member_client, "post", reverse("meetings:duty_confirm", args=[meeting.uuid]))
        sheet = meeting.review_sheets.get()
        page = call(member_client, "get", reverse("meetings:review_sheet_detail", args=[sheet.uuid]))
        assert SENTINEL in page.content.decode()  # ticked: the sheet itself shows it — and nothing else may
        item = meeting.agenda_items.get()
        call(
            worker_client,
            "post",
            reverse("meetings:agenda_item_update", args=[meeting.uuid, item.pk]),
            {"discussion": "方針を確認した。", "decisions": "生活保護の申請を支援する。"},
        )
        call(
            worker_client,
            "post",
            reverse("meetings:minutes_circulate", args=[meeting.uuid]),
            {"confirm_by": day.isoformat()},
        )
        call(worker_client, "post", reverse("meetings:minutes_approve", args=[meeting.uuid]))
    # The PDF is rendered after commit (the block above ran the callbacks as it closed).
    with django_capture_on_commit_callbacks(execute=True):
        call(member_client, "get", reverse("meetings:minutes_pdf", args=[meeting.uuid]))
        call(worker_client, "get", reverse("meetings:minutes_pdf", args=[meeting.uuid]))
        call(member_client, "get", reverse("home"))

    assert Minutes.objects.get(meeting=meeting).status == "locked"
    assert len(pdf_texts) >= 2 and case.number in "".join(pdf_texts)
    assert mail.outbox and any(m.attachments for m in mail.outbox)
    for message in mail.outbox:
        blob = message.subject + message.body + "".join(str(a[1]) for a in message.attachments)
        assert SENTINEL not in blob
    assert not [u for u in urls if SENTINEL in u]
    assert not [t for t in titles if SENTINEL in t]
    assert not [t for t in pdf_texts if SENTINEL in t]
    assert SENTINEL not in caplog.text
    for row in AccessLog.objects.values():
        assert SENTINEL not in " ".join(str(v) for v in row.values())
    assert SENTINEL not in meeting.title
