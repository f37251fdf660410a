"""Events: the secretariat's form (和暦, closed-day warning), the list with the campaign period, member
registration with capacity and waiting list, attendance, the 修了証 PDF, the gatekeeper roster."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLog
from outreach import selectors
from outreach.models import Event, Registration
from registry.models import Body, Person
from tests.factories.outreach import make_event, make_registration
from tests.factories.registry import make_body
from tests.pdfs import fonts, page_texts

Role = Person.Role


@pytest.fixture
def secretariat_body(bodies):
    return Body.objects.get(code="dept-jinken-danjo")


@pytest.fixture
def pharmacy(bodies):
    return make_body(name="あげお中央薬局")


def test_the_secretariat_creates_an_event_on_a_saturday_with_a_soft_warning(client, login_as, secretariat_body):
    login_as(Role.SECRETARIAT, body=secretariat_body)
    data = {
        "kind": "lecture",
        "title": "女性に対する暴力をなくす運動 講演会",
        "day": "2030-11-16",  # a Saturday
        "start_time": "14:00",
        "end_time": "16:00",
        "place": "上尾市文化センター",
        "capacity": 100,
        "audience": "public",
        "organiser": secretariat_body.pk,
        "description": "",
    }
    response = client.post(reverse("outreach:event_create"), data, follow=True)
    event = Event.objects.get()
    assert timezone.localtime(event.starts_at) == datetime.datetime(
        2030, 11, 16, 14, 0, tzinfo=timezone.get_current_timezone()
    )
    html = response.content.decode()
    assert "閉庁日（土曜日）" in html  # warned, not refused
    assert "令和12年11月16日（土）" in html
    assert event.in_campaign


def test_an_event_that_ends_before_it_starts_is_refused(client, login_as, secretariat_body):
    login_as(Role.SECRETARIAT, body=secretariat_body)
    data = {"kind": "lecture", "title": "x", "day": "2030-11-18", "start_time": "14:00", "end_time": "13:00"}
    data.update(place="会場", capacity=10, audience="members", organiser=secretariat_body.pk)
    response = client.post(reverse("outreach:event_create"), data)
    assert response.status_code == 200 and not Event.objects.exists()
    assert "終了時刻は開始時刻より後" in response.content.decode()


def test_the_event_list_of_200_events_takes_few_queries_and_shows_the_campaign(
    client, login_as, pharmacy, django_assert_max_num_queries, time_machine
):
    time_machine.move_to("2030-10-01 09:00 +09:00")
    for n in range(200):
        make_event(days_ahead=n, title=f"行事{n}")
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("outreach:event_list"))
    assert response.content.decode().count("/outreach/events/") >= 200
    with django_assert_max_num_queries(10):
        campaign = client.get(reverse("outreach:event_list"), {"view": "campaign"}).content.decode()
    # 11/12–11/25 are days 42..55 after 10/01.
    assert "行事42<" in campaign and "行事55<" in campaign
    assert "行事41<" not in campaign and "行事56<" not in campaign


def test_a_member_registers_people_of_their_own_body_and_the_last_one_waits(client, login_as, pharmacy):
    event = make_event(capacity=2)
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    url = reverse("outreach:event_register", args=[event.uuid])
    for name in ("上尾 花子", "上尾 次子", "上尾 三子"):
        assert client.post(url, {"name": name, "name_kana": "あげお はなこ"}).status_code == 302
    registrations = list(Registration.objects.order_by("id"))
    assert [r.body for r in registrations] == [pharmacy] * 3
    assert [r.status for r in registrations] == ["registered", "registered", "waiting"]
    assert registrations[0].name_kana == "アゲオ ハナコ"
    # Cancelling one moves the waiting person up.
    client.post(reverse("outreach:registration_cancel", args=[registrations[0].uuid]))
    registrations[2].refresh_from_db()
    assert registrations[2].status == "registered"


def test_a_member_sees_only_their_own_bodys_registrants_and_the_secretariats_read_is_logged(
    client, login_as, pharmacy, secretariat_body
):
    event = make_event()
    make_registration(event=event, body=pharmacy, name="自機関 花子")
    make_registration(event=event, body=make_body(), name="他機関 次子")
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    html = client.get(reverse("outreach:event_detail", args=[event.uuid])).content.decode()
    assert "自機関 花子" in html and "他機関 次子" not in html
    login_as(Role.SECRETARIAT, body=secretariat_body)
    before = AccessLog.objects.count()
    html = client.get(reverse("outreach:event_detail", args=[event.uuid])).content.decode()
    assert "自機関 花子" in html and "他機関 次子" in html
    row = AccessLog.objects.order_by("-id").first()
    assert AccessLog.objects.count() == before + 1 and row.scope == "network" and row.outcome == "allowed"


def test_attendance_gives_certificate_numbers_and_the_certificate_pdf_reads_back(
    client, login_as, pharmacy, secretariat_body, time_machine
):
    time_machine.move_to("2026-07-01 10:00 +09:00")
    event = make_event(title="令和8年度 ゲートキーパー研修（基礎）", days_ahead=14)  # 2026-07-15 (水)
    present = make_registration(event=event, body=pharmacy, name="上尾 花子", name_kana="アゲオ ハナコ")
    absent = make_registration(event=event, body=pharmacy, name="上尾 次子")
    login_as(Role.SECRETARIAT, body=secretariat_body)
    response = client.post(reverse("outreach:event_attendance", args=[event.uuid]), {"attended": [present.pk]})
    assert response.status_code == 302
    present.refresh_from_db()
    absent.refresh_from_db()
    assert (present.attended, present.certificate_serial) == (True, "GK2026-0001")
    assert (absent.attended, absent.certificate_serial) == (False, "")
    # Taking attendance again never renumbers.
    client.post(reverse("outreach:event_attendance", args=[event.uuid]), {"attended": [present.pk, absent.pk]})
    present.refresh_from_db()
    absent.refresh_from_db()
    assert (present.certificate_serial, absent.certificate_serial) == ("GK2026-0001", "GK2026-0002")

    pdf = client.get(reverse("outreach:certificate_pdf", args=[present.uuid]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(page_texts(pdf.content))
    assert "修了証" in text and "上尾 花子" in text and "令和8年度 ゲートキーパー研修（基礎）" in text
    assert "令和8年7月15日（水）" in text and "GK2026-0001" in text
    assert len(page_texts(pdf.content)) == 1
    assert all(embedded for _, embedded in fonts(pdf.content))
    row = AccessLog.objects.filter(action="pdf").get()
    assert (row.scope, row.object_type) == ("network", "outreach.registration")


def test_no_certificate_without_attendance(client, login_as, pharmacy):
    registration = make_registration(event=make_event(), body=pharmacy)
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    response = client.get(reverse("outreach:certificate_pdf", args=[registration.uuid]))
    assert response.status_code == 302
    assert response["Location"] == reverse("outreach:event_detail", args=[registration.event.uuid])
    # No PDF was produced: no row says one was read.
    assert not AccessLog.objects.filter(object_type="outreach.registration", outcome="allowed").exists()


def test_the_gatekeeper_roster_shows_the_refresher_due_and_exports(
    client, login_as, pharmacy, secretariat_body, settings
):
    settings.OUTREACH_GATEKEEPER_REFRESHER_YEARS = 2
    event = make_event(days_ahead=-800)
    make_registration(event=event, body=pharmacy, name="上尾 花子", attended=True, certificate_serial="GK2024-0001")
    make_registration(event=event, body=pharmacy, name="欠席 太郎", attended=False)
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    html = client.get(reverse("outreach:gatekeeper_roster")).content.decode()
    assert "上尾 花子" in html and "欠席 太郎" not in html
    assert "（時期です）" in html  # 800 days ago + 2 years has come
    assert AccessLog.objects.filter(action="list", object_type="outreach.gatekeeper").count() == 1
    export = client.get(reverse("outreach:gatekeeper_roster_xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert [c.value for c in sheet[2]][:2] == ["あげお中央薬局", "上尾 花子"]
    assert sheet.max_row == 2


def test_refresher_due_is_three_years_by_default_and_survives_29_february(settings):
    assert selectors.refresher_due(datetime.date(2024, 2, 29)) == datetime.date(2027, 2, 28)
    assert selectors.refresher_due(datetime.date(2024, 11, 20)) == datetime.date(2027, 11, 20)


def test_attendance_export_lists_the_registrants(client, login_as, secretariat_body):
    event = make_event()
    make_registration(event=event, body=secretariat_body, name="出席 花子", attended=True)
    login_as(Role.SECRETARIAT, body=secretariat_body)
    export = client.get(reverse("outreach:event_attendance_xlsx", args=[event.uuid]))
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert [c.value for c in sheet[2]][:5] == ["出席 花子", "ジュコウ ハナコ", secretariat_body.name, "参加", "出席"]
