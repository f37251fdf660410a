"""The hub's figures: true counts on the supervisor's screen, small-cell suppression on everything that leaves
the hub (the published view, the xlsx, the 活動報告 PDF); nobody but the supervisor opens them."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLog
from cases import services as case_services
from registry.models import Body, Person
from reports.documents import full_pdf_document
from tests.factories.cases import make_case, make_hub_worker
from tests.pdfs import page_texts

Role = Person.Role
pytestmark = pytest.mark.django_db
TOKYO = datetime.timezone(datetime.timedelta(hours=9))
TODAY = datetime.datetime(2025, 5, 12, 10, 0, tzinfo=TOKYO)


def at(year, month, day):
    return time_machine.travel(datetime.datetime(year, month, day, 10, 0, tzinfo=TOKYO), tick=False)


def _consult(case, worker, method):
    case_services.consultation_record(
        case=case, data={"at": timezone.now(), "method": method, "content": "相談の記録"}, by=worker.user
    )


@pytest.fixture
def hub_year(bodies):
    """令和6年度: three new cases (DV twice, 生活困窮 twice, 孤立 once; one each of 高・中・低), four consultations
    (three by phone, one visit); 令和5年度: one case."""
    from cases.models import Case, Information
    from tests.factories.registry import make_body, make_person

    worker = make_hub_worker()
    clinic = make_body(name="架空クリニック", business_kind="clinic")
    sender = make_person(role=Role.BUSINESS_MEMBER, body=clinic)
    with at(2024, 5, 8):
        item = case_services.information_submit(
            by=sender.user,
            body=clinic,
            data={"observation": "様子が気になった。", "awareness": Information.Awareness.UNKNOWN},
        )
    with at(2023, 6, 1):
        make_case(lead=worker, categories=["dv"], risk_level="medium", age=41)
    with at(2024, 5, 10):
        first = make_case(lead=worker, categories=["dv", "poverty"], risk_level="high", age=28)
        case_services.information_link(item=item, case=first, by=worker.user)
        _consult(first, worker, "phone")
        _consult(first, worker, "visit")
    with at(2024, 7, 1):
        second = make_case(lead=worker, categories=["dv"], risk_level="medium", age=34)
        _consult(second, worker, "phone")
    with at(2024, 9, 1):
        third = make_case(lead=worker, categories=["poverty", "isolation"], risk_level="low")
        _consult(third, worker, "phone")
    # Referrals: 生活支援課 three (one answered, one received, one waiting), the police one (received).
    welfare, police = Body.objects.get(code="dept-seikatsu-shien"), Body.objects.get(code="agency-ageo-police")
    with at(2024, 10, 1):
        answered, received, waiting = (_refer(case, welfare, worker) for case in (first, second, third))
        to_police = _refer(first, police, worker)
    with at(2024, 10, 3):
        case_services.referral_return(referral=answered, action_taken="申請を受理", outcome="受給開始", by=worker.user)
        case_services.referral_acknowledge(referral=received, by=worker.user)
        case_services.referral_acknowledge(referral=to_police, by=worker.user)
    with at(2023, 8, 1):  # the year before: not counted in 令和6年度
        _refer(Case.objects.get(fiscal_year=2023), welfare, worker)
    return worker


def _refer(case, body, worker):
    from tests.factories.cases import make_plan_item

    return case_services.referral_send(
        plan_item=make_plan_item(case, body=body, by=worker.user),
        to_body=body,
        fields=["categories"],
        request="支援の依頼",
        legal_basis="life_or_body",
        legal_basis_note="生命の危険があり急を要するため",
        by=worker.user,
        access_basis="assignment",
    )


def _table(page: str, key: str) -> dict[str, list[str]]:
    table = page.split(f'id="table-{key}"')[1].split("</table>")[0]
    rows = {}
    for row in table.split("<tr")[2:]:
        cells = [c.split(">", 1)[1].split("<")[0] for c in row.split("<td")[1:]]
        rows[cells[0]] = cells[1:]
    return rows


def _supervisor(client, login_as):
    return login_as(Role.HUB_SUPERVISOR, body=Body.objects.get(code="hub"))


def test_the_supervisor_sees_true_counts_and_the_published_marks(hub_year, client, login_as):
    _supervisor(client, login_as)
    with time_machine.travel(TODAY, tick=False):
        inside = client.get(reverse("reports:case_report"), {"year": 2024}).content.decode()
        published = client.get(reverse("reports:case_report"), {"year": 2024, "published": "1"}).content.decode()
    assert 'id="internal-note"' in inside
    assert _table(inside, "cases")["新規"] == ["3", "1", "2"]
    assert _table(inside, "consultations_by_method")["電話"] == ["3", "0", "3"]
    assert _table(inside, "consultations_by_method")["来所"] == ["1", "0", "1"]
    assert _table(inside, "by_category")["配偶者等からの暴力（DV）"] == ["2", "1", "1"]
    monthly = _table(inside, "monthly")
    assert monthly["5月"] == ["1", "2"] and monthly["7月"] == ["1", "1"] and monthly["4月"] == ["0", "0"]
    assert monthly["合計"] == ["3", "4"]
    sources = _table(inside, "sources")
    assert sources["情報提供（登録事業所）"][0] == "1" and sources["情報提供なし（直接の相談など）"][0] == "2"
    assert _table(inside, "stages")["相談"][0] == "3"
    cases = _table(inside, "cases")
    assert cases["年度末に継続中"] == ["4", "1", "3"] and cases["終結"][0] == "0"
    days = _table(inside, "days")
    assert days["中央値（日）"] == ["2.0"] and days["対象ケース（件）"] == ["1"]
    outcomes = _table(inside, "referral_outcomes")
    assert outcomes == {
        "健康福祉部生活支援課": ["1", "1", "1"],
        "埼玉県上尾警察署": ["0", "1", "0"],
        "合計": ["1", "2", "1"],
    }
    assert _table(inside, "referrals_by_body_kind")["市の部署"] == ["3", "1", "2"]

    assert 'id="published-note"' in published
    cases = _table(published, "cases")
    assert cases["新規"] == ["3", "＊", "＊"]  # last year's 1, and the change that would give it away
    methods = _table(published, "consultations_by_method")
    # The visit (1) is marked; its partner is the smallest other count (the phone's 3), so 4 − 3 tells nothing.
    assert methods["来所"][0] == "＊" and methods["電話"][0] == "＊" and methods["合計"][0] == "4"
    assert _table(published, "days") == {"中央値（日）": ["＊"], "対象ケース（件）": ["＊"]}
    # Every count is 1 or 2: all marked; no column has a partner to hide, so every total goes too (a total of 2
    # over two ＊ would tell that both are 1).
    assert _table(published, "referral_outcomes") == {
        "健康福祉部生活支援課": ["＊", "＊", "＊"],
        "埼玉県上尾警察署": ["0", "＊", "0"],
        "合計": ["＊", "＊", "＊"],
    }
    risk = _table(published, "by_risk")
    assert [risk[label][0] for label in ("緊急", "高", "中", "低")] == ["0", "＊", "＊", "＊"]
    rows = AccessLog.objects.filter(object_type="reports.cases", outcome="allowed")
    assert rows.count() == 2 and set(rows.values_list("scope", flat=True)) == {AccessLog.Scope.CASE}


def test_the_xlsx_always_carries_the_marks(hub_year, client, login_as):
    _supervisor(client, login_as)
    with time_machine.travel(TODAY, tick=False):
        response = client.get(reverse("reports:case_report_xlsx"), {"year": 2024})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["相談（方法別）"]
    rows = {r[0]: list(r[1:]) for r in sheet.iter_rows(min_row=3, values_only=True) if r[0] and r[0][0] != "＊"}
    assert rows["電話"][0] == "＊" and rows["来所"][0] == "＊" and rows["合計"][0] == 4
    assert rows["メール"] == [0, 0, 0]
    outcomes = book["依頼・つなぎの依頼先と結果（状況は集計時点）"]
    assert [c.value for c in outcomes[2]] == ["区分", "未受領（件）", "受領・対応中（件）", "結果報告あり（件）"]
    rows = {r[0]: list(r[1:]) for r in outcomes.iter_rows(min_row=3, values_only=True) if r[0] and r[0][0] != "＊"}
    assert rows["埼玉県上尾警察署"] == [0, "＊", 0] and rows["合計"] == ["＊", "＊", "＊"]
    assert AccessLog.objects.filter(object_type="reports.cases", action=AccessLog.Action.EXPORT).count() == 1


def test_the_activity_report_pdf_has_both_parts_with_the_marks(hub_year):
    with time_machine.travel(TODAY, tick=False):
        document = full_pdf_document(2024, today=timezone.localdate())
    pages = page_texts(document.content)
    text = "".join(pages).replace(" ", "")
    assert "第1部ケースの統計（拠点）" in text and "第2部ネットワークの活動" in text
    assert "相談（方法別）" in text and "構成機関の数（種別）" in text
    lines = {" ".join(line.split()) for page in pages for line in page.splitlines()}
    # The rows as published: the visit (1) and its partner the phone (3) marked, the true total; the referral
    # outcomes all marked with their totals.
    assert {"電話 ＊ 0 ＊", "来所 ＊ 0 ＊", "合計 4 0 4", "新規 3 ＊ ＊"} <= lines
    assert {"健康福祉部生活支援課 ＊ ＊ ＊", "埼玉県上尾警察署 0 ＊ 0", "合計 ＊ ＊ ＊"} <= lines


@pytest.mark.parametrize(("role", "code"), [(Role.SECRETARIAT, "dept-jinken-danjo"), (Role.HUB_WORKER, "hub")])
def test_only_the_supervisor_opens_the_hub_figures(client, login_as, bodies, role, code):
    login_as(role, body=bodies.get(code=code))
    assert client.get(reverse("reports:case_report")).status_code == 403
    assert client.get(reverse("reports:case_report_xlsx")).status_code == 403
    assert client.post(reverse("reports:case_report_pdf")).status_code == 403
    assert AccessLog.objects.filter(object_type="reports.cases", outcome="denied").count() == 3


def test_the_figures_take_the_same_queries_whatever_the_cases(hub_year, client, login_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _supervisor(client, login_as)
    url = reverse("reports:case_report")
    with time_machine.travel(TODAY, tick=False):
        client.get(url, {"year": 2024})
        with CaptureQueriesContext(connection) as before:
            client.get(url, {"year": 2024})
    with at(2024, 10, 1):
        for _ in range(12):
            case = make_case(lead=hub_year, categories=["divorce"], risk_level="low", age=52)
            _consult(case, hub_year, "email")
    with time_machine.travel(TODAY, tick=False), CaptureQueriesContext(connection) as after:
        client.get(url, {"year": 2024})
    assert len(after.captured_queries) == len(before.captured_queries)


def test_every_case_figure_of_a_purged_year_stays_the_same(bodies):
    """The retention purge removes a case closed in 令和2年度; every table of that year reads the same after it."""
    import io as stdio

    from django.core.management import call_command

    from cases.reports import case_tables, waiting_days
    from cases.tests.test_retention import TODAY as PURGE_DAY
    from cases.tests.test_retention import _full_case

    worker = make_hub_worker()
    supervisor = make_person_in_hub(Role.HUB_SUPERVISOR)
    case, _meeting, _agenda = _full_case(worker, supervisor, name="削除 花子")
    _full_case(worker, supervisor, name="残る 良子")  # closed too, but purged with the first: two facts rows

    def figures():
        return [(t.key, t.rows) for t in case_tables(2020)] + [("days", waiting_days(2020).rows)]

    before = figures()
    assert dict(before)["cases"][0] == ("新規", [2])
    with time_machine.travel(PURGE_DAY, tick=False):
        call_command("purge_expired", stdout=stdio.StringIO())
    from cases.models import Case

    assert not Case.objects.filter(pk=case.pk).exists()
    assert figures() == before


def make_person_in_hub(role):
    from tests.factories.registry import make_person

    return make_person(role=role, body=Body.objects.get(code="hub"))


def test_the_activity_report_pdf_is_made_by_the_worker_for_the_supervisor_only(
    hub_year, client, login_as, django_capture_on_commit_callbacks
):
    from ageo_network.uploads import private_storage
    from audit.models import PreparedDownload
    from registry import services as registry_services

    supervisor = _supervisor(client, login_as)
    with time_machine.travel(TODAY, tick=False), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:case_report_pdf"), {"year": 2024})
    assert response.status_code == 302
    ready = PreparedDownload.objects.get()
    assert ready.status == PreparedDownload.Status.READY
    with private_storage().open(ready.path, "rb") as file:
        text = "".join(page_texts(file.read())).replace(" ", "")
    assert "第1部ケースの統計（拠点）" in text and "＊" in text

    # A supervisor moved to another role before the worker ran gets no file.
    with time_machine.travel(TODAY, tick=False), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:case_report_pdf"), {"year": 2024})
        registry_services.person_role_change(person=supervisor, role=Role.HUB_WORKER, by=supervisor.user)
    assert PreparedDownload.objects.exclude(pk=ready.pk).get().status != PreparedDownload.Status.READY
