import datetime
import hashlib
import re

import icalendar
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ageo_network.history import save_tracked
from audit.models import AccessLog
from cases.models import PlanItem
from meetings import services
from meetings.models import Material, Meeting
from registry.models import Person
from tests.factories.cases import make_case
from tests.factories.meetings import attend, make_agenda_item, make_meeting

Role = Person.Role
pytestmark = pytest.mark.django_db
PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _upload(client, meeting, item, content, name="資料.pdf"):
    url = reverse("meetings:material_create", args=[meeting.uuid, item.pk])
    return client.post(url, {"title": "活動報告", "file": SimpleUploadedFile(name, content)})


def test_materials_are_checked_by_content_and_served_logged(client, login_as, bodies, seikatsu, police):
    meeting = make_meeting(invite=[seikatsu])
    item = make_agenda_item(meeting)
    login_as(Role.SECRETARIAT, body=bodies.get(code="dept-jinken-danjo"))
    assert _upload(client, meeting, item, b"MZ\x90\x00 not a pdf", name="x.pdf").status_code == 302
    assert not Material.objects.exists()
    assert _upload(client, meeting, item, PDF_BYTES).status_code == 302
    material = Material.objects.get()
    assert material.content_type == "application/pdf" and material.size == len(PDF_BYTES)

    client.logout()
    login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
    response = client.get(reverse("meetings:material_download", args=[material.uuid]))
    assert response.status_code == 200 and response.content == PDF_BYTES
    assert "no-store" in response["Cache-Control"]
    row = AccessLog.objects.filter(object_id=str(material.uuid), outcome="allowed").get()
    assert row.scope == AccessLog.Scope.NETWORK and row.action == "export"
    client.logout()
    login_as(Role.AGENCY_STAFF, body=police)
    assert client.get(reverse("meetings:material_download", args=[material.uuid])).status_code == 404


def test_case_review_materials_wait_for_the_art_10_confirmation(client, login_as, seikatsu):
    meeting = make_meeting(kind=Meeting.Kind.CASE_REVIEW, invite=[seikatsu])
    case = make_case(lead=meeting.organiser)
    item = make_agenda_item(meeting, case=case)
    material = services.material_add(
        item=item, title="経過", uploaded=SimpleUploadedFile("a.pdf", PDF_BYTES), kind=_pdf(), by=meeting.organiser.user
    )
    member = login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
    url = reverse("meetings:material_download", args=[material.uuid])
    assert client.get(url).status_code == 404  # the body has not named its attendees yet
    attend(meeting, seikatsu, member)
    assert client.get(url)["Location"] == reverse("meetings:duty_confirm", args=[meeting.uuid])
    client.post(reverse("meetings:duty_confirm", args=[meeting.uuid]))
    response = client.get(url)
    assert response.status_code == 200
    row = AccessLog.objects.filter(object_id=str(material.uuid), outcome="allowed").get()
    assert row.scope == AccessLog.Scope.CASE and row.case_ref == str(case.uuid)


def _pdf():
    from ageo_network.uploads import PDF

    return PDF


def test_the_calendar_feed_lists_invited_meetings_and_ends_when_revoked(client, login_as, seikatsu, police):
    mine = make_meeting(invite=[seikatsu])
    other = make_meeting(invite=[police])
    person = login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
    issued = client.post(reverse("meetings:calendar_token_issue"))
    assert issued.status_code == 200 and "no-store" in issued["Cache-Control"]
    url = re.search(r'value="([^"]+)" id="feed-url"', issued.content.decode()).group(1)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    # The database keeps only the hash, and the settings page never shows the address again.
    stored = person.calendar_tokens.get(revoked_at__isnull=True)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in stored.token_hash
    again = client.get(reverse("meetings:calendar_settings")).content.decode()
    assert token not in again and 'id="feed-active"' in again
    client.logout()  # a calendar program has no session
    response = client.get(reverse("meetings:calendar_feed", args=[token]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    cal = icalendar.Calendar.from_ical(response.content)
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == [mine.title]
    assert str(other.uuid) not in response.content.decode()
    row = AccessLog.objects.filter(reason="カレンダー配信", outcome="allowed").get()
    assert row.user == person.user and row.scope == AccessLog.Scope.NETWORK

    services.calendar_token_revoke(person=person, by=person.user)
    assert client.get(reverse("meetings:calendar_feed", args=[token])).status_code == 404
    assert AccessLog.objects.filter(reason="カレンダー配信", outcome="denied").count() == 1


def test_the_feed_stops_when_the_person_leaves(client, seikatsu, person_factory):
    person = person_factory(role=Role.DEPARTMENT_STAFF, body=seikatsu)
    token = services.calendar_token_issue(person=person, by=person.user).secret
    person.left_on = timezone.localdate()
    save_tracked(person, by=None, update_fields=["left_on"])
    assert client.get(reverse("meetings:calendar_feed", args=[token])).status_code == 404


def test_a_decision_becomes_a_plan_item_with_one_action(client, login_as, bodies, seikatsu):
    supervisor = login_as(Role.HUB_SUPERVISOR, body=bodies.get(code="hub"))
    meeting = make_meeting(kind=Meeting.Kind.CASE_REVIEW, organiser=supervisor, invite=[seikatsu])
    case = make_case(lead=supervisor)
    item = make_agenda_item(meeting, case=case)
    services.agenda_item_update(item=item, data={"decisions": "生活保護の申請に同行する。"}, by=supervisor.user)
    url = reverse("meetings:decision_plan_item", args=[meeting.uuid, item.pk])
    data = {"service": "livelihood_protection", "responsible_body": seikatsu.pk, "due_on": "2030-01-31"}
    assert client.post(url, data).status_code == 302
    plan_item = PlanItem.objects.get(case=case)
    item.refresh_from_db()
    assert item.plan_item == plan_item and plan_item.meeting_decision == item
    assert "生活保護の申請に同行する" in plan_item.detail and plan_item.due_on == datetime.date(2030, 1, 31)
    assert client.post(url, data).status_code == 302
    assert PlanItem.objects.filter(case=case).count() == 1  # refused the second time
    row = AccessLog.objects.filter(case_ref=str(case.uuid), action="change").first()
    assert row.scope == AccessLog.Scope.CASE and row.basis in ("supervision", "assignment")


def test_an_invited_department_cannot_make_plan_items(client, login_as, seikatsu):
    meeting = make_meeting(kind=Meeting.Kind.CASE_REVIEW, invite=[seikatsu])
    case = make_case(lead=meeting.organiser)
    item = make_agenda_item(meeting, case=case)
    login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
    url = reverse("meetings:decision_plan_item", args=[meeting.uuid, item.pk])
    assert client.post(url, {"service": "livelihood_protection", "responsible_body": seikatsu.pk}).status_code == 403
    assert not PlanItem.objects.exists()
