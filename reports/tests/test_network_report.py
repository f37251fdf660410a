"""The network's fiscal-year report: a known data set for 令和6年度 (and one figure in 令和5年度), every figure of
the screen, the xlsx and the PDF asserted against it; the roles that may not open it; constant queries."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLog
from cases import services as case_services
from cases.models import Information
from meetings import services as meeting_services
from meetings.models import Attendee, Meeting
from outreach import services as outreach_services
from outreach.models import Event, Material, Placement, Registration
from registry.models import Body, Person
from reports.documents import network_pdf_document
from reports.selectors import network_report, network_tables
from tests.factories.meetings import make_agenda_item
from tests.factories.outreach import make_event, make_material, make_registration
from tests.factories.registry import make_body, make_person
from tests.pdfs import page_texts

Role = Person.Role
pytestmark = pytest.mark.django_db
TOKYO = datetime.timezone(datetime.timedelta(hours=9))
TODAY = datetime.datetime(2025, 5, 12, 10, 0, tzinfo=TOKYO)  # 令和7年度; the report asked for is 令和6年度


def at(year, month, day, hour=10):
    return time_machine.travel(datetime.datetime(year, month, day, hour, 0, tzinfo=TOKYO), tick=False)


def _info(sender, body):
    return case_services.information_submit(
        by=sender.user,
        body=body,
        data={"observation": "様子が気になった。", "awareness": Information.Awareness.UNKNOWN},
    )


@pytest.fixture
def year(bodies):
    """令和6年度 (April 2024 – March 2025) of a small network, built through the services at the dates it happened."""
    seikatsu = bodies.get(code="dept-seikatsu-shien")
    police = bodies.get(code="agency-ageo-police")
    secretariat = make_person(role=Role.SECRETARIAT, body=bodies.get(code="dept-jinken-danjo"))
    hub_worker = make_person(role=Role.HUB_WORKER, body=bodies.get(code="hub"))
    clinic = make_body(name="架空クリニック", business_kind="clinic", joined_on=datetime.date(2024, 8, 1))
    gone = make_body(
        name="架空薬局（退会）",
        business_kind="pharmacy",
        joined_on=datetime.date(2023, 6, 1),
        left_on=datetime.date(2024, 11, 30),
        status=Body.Status.FORMER,
    )
    make_body(name="架空薬局", business_kind="pharmacy", joined_on=datetime.date(2024, 9, 1))
    clerk = make_person(role=Role.DEPARTMENT_STAFF, body=seikatsu)
    doctor = make_person(role=Role.BUSINESS_MEMBER, body=clinic)
    officer = make_person(role=Role.AGENCY_STAFF, body=police)
    by = secretariat.user

    # Meetings: Art. 7 (department present, police declined, clinic said yes but was absent), Art. 8, Art. 9, and a
    # cancelled Art. 8 that does not count.
    with at(2024, 10, 1):
        art7 = meeting_services.meeting_create(
            kind=Meeting.Kind.REPRESENTATIVES,
            data={
                "date": datetime.date(2024, 11, 20),
                "start_time": datetime.time(14),
                "end_time": datetime.time(16),
                "place": "市役所",
            },
            organiser=secretariat,
            by=by,
        )
        meeting_services.invitations_send(meeting=art7, bodies=[seikatsu, police, clinic], by=by)
        meeting_services.invitation_answer(
            invitation=art7.invitations.get(body=seikatsu), attending=True, people=[clerk], by=clerk.user
        )
        meeting_services.invitation_answer(
            invitation=art7.invitations.get(body=clinic), attending=True, people=[doctor], by=doctor.user
        )
        meeting_services.invitation_answer(
            invitation=art7.invitations.get(body=police), attending=False, people=[], by=officer.user
        )
        item = make_agenda_item(art7, title="活動報告")
        done = meeting_services.action_add(
            item=item,
            data={"body": seikatsu, "description": "ポスター掲示", "due_on": datetime.date(2024, 12, 20)},
            by=by,
        )
        meeting_services.action_add(
            item=item, data={"body": clinic, "description": "カード設置", "due_on": datetime.date(2025, 1, 20)}, by=by
        )
        cancelled = meeting_services.meeting_create(
            kind=Meeting.Kind.PRACTITIONERS,
            data={
                "date": datetime.date(2024, 10, 16),
                "start_time": datetime.time(10),
                "end_time": datetime.time(11),
                "place": "市役所",
            },
            organiser=secretariat,
            by=by,
        )
        meeting_services.meeting_cancel(meeting=cancelled, by=by)
        art9 = meeting_services.meeting_create(
            kind=Meeting.Kind.CASE_REVIEW,
            data={
                "date": datetime.date(2024, 12, 11),
                "start_time": datetime.time(10),
                "end_time": datetime.time(11),
                "place": "センター",
            },
            organiser=hub_worker,
            by=hub_worker.user,
        )
        meeting_services.invitations_send(meeting=art9, bodies=[seikatsu], by=hub_worker.user)
    with at(2024, 11, 20, 17):
        states = {a.pk: Attendee.Attendance.PRESENT for a in art7.attendees.filter(person=clerk)}
        states.update({a.pk: Attendee.Attendance.ABSENT for a in art7.attendees.filter(person=doctor)})
        meeting_services.attendance_record(meeting=art7, states=states, by=by)
        meeting_services.action_complete(action=done, by=clerk.user)
    with at(2025, 1, 15):
        art8 = meeting_services.meeting_create(
            kind=Meeting.Kind.PRACTITIONERS,
            data={
                "date": datetime.date(2025, 2, 12),
                "start_time": datetime.time(10),
                "end_time": datetime.time(12),
                "place": "市役所",
            },
            organiser=secretariat,
            by=by,
        )
        meeting_services.invitations_send(meeting=art8, bodies=[seikatsu], by=by)
        meeting_services.invitation_answer(
            invitation=art8.invitations.get(body=seikatsu), attending=True, people=[clerk], by=clerk.user
        )
    with at(2025, 2, 12, 13):
        meeting_services.attendance_record(
            meeting=art8, states={a.pk: Attendee.Attendance.LATE for a in art8.attendees.all()}, by=by
        )

    # Materials: 30 cards to the clinic in August, 5 posters to the department in January (each starts a placement).
    with at(2024, 8, 15):
        card = make_material(kind=Material.Kind.CARD, stock=100)
        outreach_services.stock_ship(
            material=card, body=clinic, quantity=30, spot=Placement.Spot.WOMENS_RESTROOM, by=by
        )
    with at(2025, 1, 10):
        poster = make_material(kind=Material.Kind.POSTER, stock=10)
        outreach_services.stock_ship(
            material=poster, body=seikatsu, quantity=5, spot=Placement.Spot.NOTICE_BOARD, by=by
        )

    # Events: a gatekeeper training (department, clinic and a member of the public present; one cancellation), a
    # lecture (two registered, one present), and a cancelled one.
    with at(2024, 9, 1):
        training = make_event(kind=Event.Kind.GATEKEEPER, days_ahead=34)  # 2024-10-05
        lecture = make_event(kind=Event.Kind.LECTURE, days_ahead=80, audience=Event.Audience.PUBLIC)
        dropped = make_event(kind=Event.Kind.AWARENESS, days_ahead=60, is_cancelled=True)
        trainees = [
            make_registration(event=training, body=seikatsu),
            make_registration(event=training, body=clinic),
            make_registration(event=training),
        ]
        make_registration(event=training, body=police, status=Registration.Status.CANCELLED)
        listeners = [make_registration(event=lecture), make_registration(event=lecture)]
        make_registration(event=dropped)
    with at(2024, 12, 1):
        outreach_services.attendance_record(event=training, attended_ids={r.pk for r in trainees}, by=by)
        outreach_services.attendance_record(event=lecture, attended_ids={listeners[0].pk}, by=by)

    # Activity reports of 令和6年度 from the department and the clinic.
    with at(2025, 4, 20):
        figures = {"posters": 1, "leaflets": 0, "event_attendees": 1, "gatekeepers": 1, "text": ""}
        outreach_services.activity_report_submit(body=seikatsu, fiscal_year=2024, data=figures, by=clerk.user)
        outreach_services.activity_report_submit(body=clinic, fiscal_year=2024, data=figures, by=doctor.user)

    # Information to the hub: two from the clinic and one from the police in 令和6年度, one in 令和5年度.
    with at(2024, 3, 25):
        _info(make_person(role=Role.BUSINESS_MEMBER, body=gone), gone)
    with at(2024, 6, 3):
        _info(doctor, clinic)
    with at(2025, 3, 31, 23):
        _info(doctor, clinic)
        _info(officer, police)
    return secretariat


def _figures(tables):
    return {t.key: {label: values for label, values in t.rows} for t in tables}


EXPECTED = {
    "bodies": {
        "拠点（男女共同参画推進センター）": [1, 1, 0],
        "市の部署": [14, 14, 0],
        "関係機関": [11, 11, 0],
        "登録事業所": [2, 2, 1],
    },
    "meetings": {"代表者会議（第7条）": [1], "実務者会議（第8条）": [1], "個別ケース検討会議（第9条）": [1]},
    "attendance": {
        "拠点（男女共同参画推進センター）": [0, 0, 0, None],
        "市の部署": [2, 2, 2, 100.0],
        "関係機関": [1, 0, 0, 0.0],
        "登録事業所": [1, 1, 0, 0.0],
    },
    "actions": {"未完了": [1], "完了": [1]},
    "materials": {
        "リーフレット": [0, 0, 0],
        "カード": [30, 1, 1],
        "ポスター": [5, 1, 1],
        "ステッカー": [0, 0, 0],
        "その他": [0, 0, 0],
    },
    "events": {
        "講演会": [1, 2, 1],
        "啓発イベント": [0, 0, 0],
        "ゲートキーパー研修": [1, 3, 3],
        "出前講座": [0, 0, 0],
        "その他": [0, 0, 0],
    },
    "gatekeepers": {
        "拠点（男女共同参画推進センター）": [0],
        "市の部署": [1],
        "関係機関": [0],
        "登録事業所": [1],
        "一般": [1],
    },
    # Members at the year end: 26 bodies + the clinic + the pharmacy that stayed.
    "activity_reports": {"提出": [2], "未提出": [26]},
    "information": {
        "拠点（男女共同参画推進センター）": [0],
        "市の部署": [0],
        "関係機関": [1],
        "登録事業所": [2],
    },
}


def test_every_figure_of_the_year(year):
    with time_machine.travel(TODAY, tick=False):
        figures = _figures(network_tables(2024, today=timezone.localdate()))
        previous = _figures(network_tables(2023, today=timezone.localdate()))
    for key, rows in EXPECTED.items():
        for label, values in rows.items():
            assert figures[key][label] == values, (key, label, figures[key][label])
    assert figures["businesses"]["医療機関（診療所・病院）"] == [1] and figures["businesses"]["薬局"] == [1]
    # 令和5年度: the pharmacy that later left was the only member; one information item.
    assert previous["bodies"]["登録事業所"] == [1, 1, 0] and previous["bodies"]["市の部署"] == [0, 0, 0]
    assert previous["information"]["登録事業所"] == [1]


def test_the_screen_shows_the_year_beside_the_last_and_logs_it(year, client, login_as):
    login_as(Role.SECRETARIAT, body=year.body)
    with time_machine.travel(TODAY, tick=False):
        response = client.get(reverse("reports:network_report"), {"year": 2024})
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "令和6年度 上尾市困難女性支援ネットワーク 活動報告" in page
    information = page.split('id="table-information"')[1].split("</table>")[0]
    # Columns: 令和6年度, 令和5年度, 増減; rows per kind and a 合計.
    assert "令和6年度" in information and "令和5年度" in information
    # Counts about women leave the hub with the small-cell marks: 2 and 1 this year, 1 last year (its total too).
    row = information.split("登録事業所</td>")[1].split("</tr>")[0]
    assert [cell.split(">")[1].split("<")[0] for cell in row.split("<td")[1:]] == ["＊", "＊", "＊"]
    total = information.split("合計</td>")[1].split("</tr>")[0]
    assert [cell.split(">")[1].split("<")[0] for cell in total.split("<td")[1:]] == ["3", "＊", "＊"]
    assert page.count("<svg") >= 10 and "100.0" in page and "－" in page
    row = AccessLog.objects.filter(object_type="reports.network", outcome="allowed").get()
    assert row.object_id == "2024" and row.action == AccessLog.Action.VIEW


def test_a_bad_year_shows_the_current_one(year, client, login_as):
    login_as(Role.HUB_SUPERVISOR, body=Body.objects.get(code="hub"))
    with time_machine.travel(TODAY, tick=False):
        for bad in ("abc", "1900", "2999", ""):
            response = client.get(reverse("reports:network_report"), {"year": bad})
            assert response.status_code == 200 and "令和7年度 上尾市" in response.content.decode()


def test_the_xlsx_has_one_sheet_per_table_with_numbers(year, client, login_as):
    login_as(Role.SECRETARIAT, body=year.body)
    with time_machine.travel(TODAY, tick=False):
        response = client.get(reverse("reports:network_report_xlsx"), {"year": 2024})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 10
    sheet = book["拠点が受けた情報提供（提供元の種別）"]
    assert sheet["A1"].value == "拠点が受けた情報提供（提供元の種別）"
    assert [c.value for c in sheet[2]] == ["区分", "令和6年度（件）", "令和5年度（件）", "増減（件）"]
    rows = {r[0]: list(r[1:]) for r in sheet.iter_rows(min_row=3, values_only=True) if r[0]}
    assert rows["登録事業所"] == ["＊", "＊", "＊"] and rows["合計"] == [3, "＊", "＊"]  # about women: marked
    assert sheet.freeze_panes == "B3"
    attendance = book["代表者会議・実務者会議の出席（機関の種別）"]
    rows = {r[0]: list(r[1:]) for r in attendance.iter_rows(min_row=3, values_only=True) if r[0]}
    assert rows["市の部署"] == [2, 2, 2, 100.0] and rows["拠点（男女共同参画推進センター）"][3] == "－"
    assert AccessLog.objects.filter(object_type="reports.network", action=AccessLog.Action.EXPORT).count() == 1


def test_the_pdf_reads_back(year):
    with time_machine.travel(TODAY, tick=False):
        document = network_pdf_document(2024, today=timezone.localdate())
    pages = page_texts(document.content)
    text = "".join(pages).replace(" ", "")
    assert "令和6年度上尾市困難女性支援ネットワーク活動報告" in text
    assert "令和7年5月12日（月）" in text
    for title in ("構成機関の数（種別）", "開催した会議（種類別）", "ゲートキーパー研修の修了者（所属の種別）"):
        assert title in text
    assert f"1/{len(pages)}" in text
    assert b"/Subtype/Image" not in document.content  # the charts are vector graphics, not pictures
    lines = {" ".join(line.split()) for page in pages for line in page.splitlines()}
    # Rows of the tables, read back: 登録事業所 by kind (this year, last year, change), the information table
    # with its small-cell marks.
    assert {"薬局 1 1 0", "医療機関（診療所・病院） 1 0 1", "合計 2 1 1"} <= lines
    assert "登録事業所 ＊ ＊ ＊" in lines and "合計 3 ＊ ＊" in lines


def test_the_pdf_is_made_by_the_worker(year, client, login_as, django_capture_on_commit_callbacks):
    from audit.models import PreparedDownload

    login_as(Role.SECRETARIAT, body=year.body)
    with time_machine.travel(TODAY, tick=False), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:network_report_pdf"), {"year": 2024})
    assert response.status_code == 302 and response["Location"] == reverse("audit:download_list")
    download = PreparedDownload.objects.get()
    assert download.status == PreparedDownload.Status.READY and download.params == {"fiscal_year": 2024}


@pytest.mark.parametrize(
    ("role", "code"),
    [
        (Role.DEPARTMENT_STAFF, "dept-seikatsu-shien"),
        (Role.AGENCY_STAFF, "agency-ageo-police"),
        (Role.BUSINESS_MEMBER, None),
        (Role.HUB_WORKER, "hub"),
    ],
)
def test_members_cannot_open_a_report(client, login_as, bodies, role, code):
    login_as(role, body=bodies.get(code=code) if code else make_body())
    for name, method in (
        ("reports:network_report", "get"),
        ("reports:network_report_xlsx", "get"),
        ("reports:network_report_pdf", "post"),
    ):
        assert getattr(client, method)(reverse(name)).status_code == 403
    assert AccessLog.objects.filter(object_type="reports.network", outcome="denied").count() == 3


def test_the_report_takes_the_same_queries_whatever_the_data(
    year, client, login_as, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """Counted once on the data set above and once with many more rows of every kind: equal."""
    login_as(Role.SECRETARIAT, body=year.body)
    url = reverse("reports:network_report")
    with time_machine.travel(TODAY, tick=False):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.get(url, {"year": 2024})  # the first request of a session loads what later ones have cached
        with CaptureQueriesContext(connection) as small:
            client.get(url, {"year": 2024})
    with at(2024, 9, 2):
        extra = [make_body(joined_on=datetime.date(2024, 5, 1)) for _ in range(15)]
        event = make_event(kind=Event.Kind.GATEKEEPER, days_ahead=20)
        for body in extra:
            make_registration(event=event, body=body)
    with time_machine.travel(TODAY, tick=False), django_assert_num_queries(len(small.captured_queries)):
        client.get(url, {"year": 2024})
    assert len(network_report(2024, today=datetime.date(2025, 5, 12))) == 10
