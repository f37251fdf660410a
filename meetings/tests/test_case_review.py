"""Art. 9: the case on the agenda, its review sheet, and the meeting basis of cases/access.py."""

import datetime
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from ageo_network.history import save_tracked
from audit.models import AccessLog
from cases.access import Scope, visible_cases
from meetings import services
from meetings.models import DutyConfirmation, Meeting
from registry.models import Person
from tests.factories.cases import make_case
from tests.factories.meetings import attend, circulate, make_agenda_item, make_meeting
from tests.pdfs import page_texts, page_texts_with_rotated

Role = Person.Role
pytestmark = pytest.mark.django_db
START = datetime.datetime(2024, 11, 1, 9, 0, tzinfo=datetime.UTC)  # 18:00 in Tokyo
MEETING_DAY = datetime.date(2024, 11, 20)  # a Wednesday; 14:00–16:00 Tokyo time


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def review(bodies, seikatsu, clock):
    """Case X on an Art. 9 agenda with a sheet of two ticked fields; case Y on another meeting."""
    meeting = make_meeting(kind=Meeting.Kind.CASE_REVIEW, date=MEETING_DAY)
    x = make_case(lead=meeting.organiser, name="検討 花子", phone="090-1111-2222", categories=["dv"], risk_level="high")
    y = make_case(name="別件 良子", categories=["poverty"])
    make_agenda_item(meeting, title="支援方針の検討", case=x)
    sheet = services.review_sheet_prepare(
        meeting=meeting, case=x, fields=["categories", "risk"], by=meeting.organiser.user
    )
    other = make_meeting(kind=Meeting.Kind.CASE_REVIEW, date=MEETING_DAY)
    make_agenda_item(other, title="検討", case=y)
    other_sheet = services.review_sheet_prepare(meeting=other, case=y, fields=["categories"], by=other.organiser.user)
    return type("Review", (), {"meeting": meeting, "x": x, "y": y, "sheet": sheet, "other_sheet": other_sheet})


def _sheet_url(sheet):
    return reverse("meetings:review_sheet_detail", args=[sheet.uuid])


def _sign_in_again(client, person):
    """A day later the two-factor session has expired (SESSION_ABSOLUTE_HOURS): sign in afresh."""
    from conftest import two_factor_verify

    client.force_login(person.user)
    two_factor_verify(client, person.user)


def _confirm(client, meeting):
    assert client.post(reverse("meetings:duty_confirm", args=[meeting.uuid])).status_code == 302


def test_an_invited_member_reads_the_ticked_fields_only_in_the_window(client, login_as, seikatsu, review, clock):
    member = login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
    url = _sheet_url(review.sheet)
    assert client.get(url).status_code == 404  # not before the invitations go out
    services.invitations_send(meeting=review.meeting, bodies=[seikatsu], by=review.meeting.organiser.user)
    assert client.get(url).status_code == 404  # nor while the body has not named who attends
    attend(review.meeting, seikatsu, member)

    response = client.get(url)  # the Art. 10 confirmation comes first
    assert response.status_code == 302 and response["Location"] == reverse(
        "meetings:duty_confirm", args=[review.meeting.uuid]
    )
    _confirm(client, review.meeting)
    assert DutyConfirmation.objects.filter(meeting=review.meeting, person=member).count() == 1

    page = client.get(url).content.decode()
    assert "配偶者等からの暴力" in page and "高" in page and review.x.number in page
    assert "検討 花子" not in page and "090-1111-2222" not in page  # not ticked
    assert client.get(_sheet_url(review.other_sheet)).status_code == 404  # not case Y
    assert client.get(reverse("cases:case_detail", args=[review.x.uuid])).status_code == 404  # not the case file
    assert list(visible_cases(member.user, Scope.CASE_FILE)) == []

    rows = AccessLog.objects.filter(case_ref=str(review.x.uuid), outcome="allowed")
    assert rows.count() == 1
    row = rows.get()
    assert row.basis == AccessLog.Basis.MEETING and row.scope == AccessLog.Scope.CASE
    assert review.meeting.title in row.reason

    # The window: the meeting ends 16:00 Tokyo (07:00 UTC) on the 20th; 24 hours after that it closes by itself.
    clock.move_to(datetime.datetime(2024, 11, 21, 6, 59, tzinfo=datetime.UTC))
    _sign_in_again(client, member)
    assert client.get(url).status_code == 200
    clock.move_to(datetime.datetime(2024, 11, 21, 7, 1, tzinfo=datetime.UTC))
    assert client.get(url).status_code == 404
    denied = AccessLog.objects.filter(outcome="denied", scope=AccessLog.Scope.CASE).last()
    assert denied.case_ref == str(review.x.uuid)


def test_the_window_follows_the_setting(client, login_as, seikatsu, review, clock, settings):
    settings.MEETING_CASE_ACCESS_HOURS = 2
    member = login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
    services.invitations_send(meeting=review.meeting, bodies=[seikatsu], by=review.meeting.organiser.user)
    attend(review.meeting, seikatsu, member)
    _confirm(client, review.meeting)
    clock.move_to(datetime.datetime(2024, 11, 20, 8, 59, tzinfo=datetime.UTC))
    _sign_in_again(client, member)
    assert client.get(_sheet_url(review.sheet)).status_code == 200
    clock.move_to(datetime.datetime(2024, 11, 20, 9, 1, tzinfo=datetime.UTC))
    assert client.get(_sheet_url(review.sheet)).status_code == 404


def test_no_access_after_leaving(client, login_as, seikatsu, review):
    member = login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
    services.invitations_send(meeting=review.meeting, bodies=[seikatsu], by=review.meeting.organiser.user)
    attend(review.meeting, seikatsu, member)
    _confirm(client, review.meeting)
    assert client.get(_sheet_url(review.sheet)).status_code == 200
    member.left_on = timezone.localdate()
    save_tracked(member, by=None, update_fields=["left_on"])
    assert list(visible_cases(member.user, Scope.CASE_REVIEW)) == []
    assert client.get(_sheet_url(review.sheet)).status_code != 200


def test_a_declining_body_and_unnamed_colleagues_get_nothing(client, login_as, seikatsu, person_factory, review):
    member = login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
    colleague = person_factory(role=Role.DEPARTMENT_STAFF, body=seikatsu)
    services.invitations_send(meeting=review.meeting, bodies=[seikatsu], by=review.meeting.organiser.user)
    invitation = review.meeting.invitations.get()
    services.invitation_answer(invitation=invitation, attending=True, people=[colleague], by=colleague.user)
    assert client.post(reverse("meetings:duty_confirm", args=[review.meeting.uuid])).status_code == 403
    assert client.get(_sheet_url(review.sheet)).status_code == 404  # the body named someone else
    services.invitation_answer(invitation=invitation, attending=True, people=[member], by=member.user)
    _confirm(client, review.meeting)
    assert client.get(_sheet_url(review.sheet)).status_code == 200
    services.invitation_answer(invitation=invitation, attending=False, people=[], by=member.user)
    assert client.get(_sheet_url(review.sheet)).status_code == 404


def test_roles_without_case_content_never_read_a_sheet(client, login_as, bodies, review):
    login_as(Role.SECRETARIAT, body=bodies.get(code="dept-jinken-danjo"))
    services.invitations_send(
        meeting=review.meeting, bodies=[bodies.get(code="dept-jinken-danjo")], by=review.meeting.organiser.user
    )
    assert client.get(_sheet_url(review.sheet)).status_code == 404


def test_an_organiser_who_loses_the_case_loses_the_meeting(client, review, person_factory):
    """The hub worker who organised the meeting manages it while the case is theirs; reassigned, the meeting, its
    sheet and its minutes follow the case bases, not the organiser field."""
    from cases import services as case_services
    from registry import services as registry_services
    from registry.models import PledgeVersion

    organiser = review.meeting.organiser
    registry_services.pledge_accept(
        person=organiser, version=PledgeVersion.current(), ip="127.0.0.1", by=organiser.user
    )
    _sign_in_again(client, organiser)
    assert client.get(review.meeting.get_absolute_url()).status_code == 200
    assert client.get(_sheet_url(review.sheet)).status_code == 200

    supervisor = person_factory(role=Role.HUB_SUPERVISOR, body=organiser.body)
    successor = person_factory(role=Role.HUB_WORKER, body=organiser.body)
    case_services.case_assign(case=review.x, lead=successor, others=[], by=supervisor.user)

    assert client.get(_sheet_url(review.sheet)).status_code == 404
    assert client.get(review.meeting.get_absolute_url()).status_code == 404
    assert review.meeting not in list(client.get(reverse("meetings:meeting_list")).context["meetings"])
    denied = AccessLog.objects.filter(outcome="denied", object_id=str(review.sheet.uuid)).get()
    assert denied.scope == AccessLog.Scope.CASE and denied.case_ref == str(review.x.uuid)


def test_the_meeting_page_offers_sheets_only_to_those_they_open_to(client, login_as, seikatsu, review):
    """An invited body's person sees the sheet links only once named as an attendee; a business, even named,
    never holds a case basis, so it is told why instead of being shown links that answer 404."""
    from tests.factories.registry import make_body

    shop = make_body(name="検討に呼ばれた事業所")
    services.invitations_send(meeting=review.meeting, bodies=[seikatsu, shop], by=review.meeting.organiser.user)
    member = login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
    page = client.get(review.meeting.get_absolute_url()).content.decode()
    assert 'id="sheets-closed"' in page and _sheet_url(review.sheet) not in page
    attend(review.meeting, seikatsu, member)
    page = client.get(review.meeting.get_absolute_url()).content.decode()
    assert _sheet_url(review.sheet) in page and 'id="duty-link"' in page

    business = login_as(Role.BUSINESS_MEMBER, body=shop)
    attend(review.meeting, shop, business)
    page = client.get(review.meeting.get_absolute_url()).content.decode()
    assert 'id="sheets-closed"' in page and _sheet_url(review.sheet) not in page and 'id="duty-link"' not in page
    assert client.get(reverse("meetings:duty_confirm", args=[review.meeting.uuid])).status_code == 403


def test_the_meeting_basis_never_writes():
    from cases.access import WRITE_BASES

    assert AccessLog.Basis.MEETING not in WRITE_BASES


def test_the_address_never_goes_on_a_sheet_under_protection(review):
    from cases import services as case_services

    case = review.x
    case_services.case_update(
        case=case,
        data={"address": "上尾市本町1-1", "address_protection": True, "address_protection_until": MEETING_DAY},
        expected_version=case.version,
        by=review.meeting.organiser.user,
    )
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="住所"):
        services.review_sheet_prepare(
            meeting=review.meeting, case=case, fields=["address"], by=review.meeting.organiser.user
        )
    sheet = services.review_sheet_prepare(
        meeting=review.meeting, case=case, fields=["risk"], by=review.meeting.organiser.user
    )
    assert sheet.address_protected and "address" not in sheet.packet


def test_a_case_not_on_the_agenda_gets_no_sheet(review):
    with pytest.raises(ValidationError):
        services.review_sheet_prepare(
            meeting=review.meeting, case=review.y, fields=["risk"], by=review.meeting.organiser.user
        )


def test_case_review_minutes_carry_handling_and_the_reader(
    client, login_as, seikatsu, review, django_capture_on_commit_callbacks
):
    meeting = review.meeting
    services.invitations_send(meeting=meeting, bodies=[seikatsu], by=meeting.organiser.user)
    member = login_as(
        Role.DEPARTMENT_STAFF,
        body=seikatsu,
    )
    services.invitation_answer(invitation=meeting.invitations.get(), attending=True, people=[member], by=member.user)
    services.external_attendee_add(
        meeting=meeting, name="外部 次郎", affiliation="弁護士会", pledge_received=True, by=meeting.organiser.user
    )
    circulate(meeting)
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_approve(meeting=meeting, person=meeting.organiser, by=meeting.organiser.user)
    response = client.get(reverse("meetings:minutes_pdf", args=[meeting.uuid]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    pages = page_texts(response.content)
    rotated = page_texts_with_rotated(response.content)
    assert all("取扱注意" in page for page in pages)
    assert all(member.name.replace(" ", "") in page for page in rotated)
    assert review.x.number in "".join(pages) and "検討 花子" not in "".join(pages)
    assert len(PdfReader(io.BytesIO(response.content)).pages) == len(pages)
    row = AccessLog.objects.filter(action="pdf").last()
    assert row.scope == AccessLog.Scope.CASE


def test_secretariat_never_gets_case_review_minutes(
    client, login_as, bodies, review, django_capture_on_commit_callbacks
):
    meeting = review.meeting
    circulate(meeting)
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_approve(meeting=meeting, person=meeting.organiser, by=meeting.organiser.user)
    login_as(Role.SECRETARIAT, body=bodies.get(code="dept-jinken-danjo"))
    assert client.get(reverse("meetings:minutes_pdf", args=[meeting.uuid])).status_code == 403
