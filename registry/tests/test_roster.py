"""The staff roster (filters, counts, exports), the public roster and the roster PDF."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AccessLog
from registry import services
from registry.models import Body, BodyActivity, Person
from tests.factories.registry import make_body

Role = Person.Role


def business(name, *, activities=(), **fields):
    body = make_body(name=name, kind=Body.Kind.BUSINESS, **fields)
    for activity in activities:
        BodyActivity.objects.create(body=body, activity=activity)
    return body


def names(bodies):
    return sorted(b.name for b in bodies)


@pytest.mark.django_db
class TestStaffRoster:
    def test_filters_by_in_city_and_pledged_activity_with_counts(self, client, login_as, bodies):
        business("市内の薬局", activities=["poster", "leaflet"], in_city=True)
        business("市外の居場所", activities=["gathering", "poster"], in_city=False)
        login_as(Role.HUB_WORKER, body=Body.objects.get(code="hub"))
        response = client.get(reverse("registry:body_list"), {"in_city": "out", "kind": "business"})
        assert names(response.context["bodies"]) == ["市外の居場所"]
        response = client.get(reverse("registry:body_list"), {"activity": "poster", "kind": "business"})
        assert names(response.context["bodies"]) == ["市内の薬局", "市外の居場所"]
        # Filtering by one activity still shows every activity of the body.
        shown = {b.name: b.activity_labels for b in response.context["bodies"]}
        assert shown["市内の薬局"] == ["リーフレット・カードの設置・配布", "ポスターの掲示"]
        assert response.context["counts"] == [("登録事業所", 2)]
        assert "2件（登録事業所 2）" in response.content.decode()

    def test_counts_per_kind_for_the_whole_network(self, client, login_as, bodies):
        login_as(Role.SECRETARIAT)
        counts = dict(client.get(reverse("registry:body_list")).context["counts"])
        assert counts["市の部署"] == 14 and counts["関係機関"] == 11 and counts["拠点（男女共同参画推進センター）"] == 1

    def test_former_members_are_listed_apart(self, client, login_as, bodies):
        gone = business("退会した店", joined_on=datetime.date(2024, 5, 1))
        services.body_withdraw(body=gone, left_on=datetime.date(2025, 3, 31), reason="申出", by=None)
        login_as(Role.SECRETARIAT)
        response = client.get(reverse("registry:body_list"))
        assert [b.name for b in response.context["former_bodies"]] == ["退会した店"]
        assert "退会した店" not in names(response.context["active_bodies"])
        assert "元構成機関（1）" in response.content.decode()

    def test_query_count_does_not_grow_with_rows(self, client, login_as, bodies, django_assert_max_num_queries):
        login_as(Role.SECRETARIAT)
        with CaptureQueriesContext(connection) as baseline:
            client.get(reverse("registry:body_list"))
        for n in range(40):
            business(f"事業所{n}", activities=["poster", "goods", "consultation"])
        with django_assert_max_num_queries(len(baseline)):
            response = client.get(reverse("registry:body_list"))
        assert response.context["total"] == 26 + 1 + 40  # fixtures, the secretary's own test body, new
        assert len(response.context["bodies"]) == 50  # a page (views.BODY_PAGE_SIZE)
        assert all(b.activity_labels for b in response.context["bodies"] if b.name.startswith("事業所"))


@pytest.mark.django_db
class TestExports:
    @pytest.fixture
    def rows(self, bodies):
        business("あげお薬局", activities=["poster"], phone="048-775-1234", representative="上尾 一郎")
        business('=HYPERLINK("http://evil.example")', name_kana="アク", address="+1+cmd|' /C calc'!A0")
        business("@SUM(1+1)", name_kana="アット", representative="-2+3")

    def test_xlsx_reads_back_with_japanese_text_and_no_formulas(self, client, login_as, rows):
        person = login_as(Role.SECRETARIAT, body=Body.objects.get(code="dept-jinken-danjo"))
        response = client.get(reverse("registry:roster_xlsx"), {"kind": "business"})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert response["Content-Disposition"].startswith('attachment; filename="roster-')
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        table = [[cell.value for cell in row] for row in sheet.iter_rows()]
        assert table[0][:4] == ["名称", "フリガナ", "種別", "事業所の種類"]
        by_name = {row[0]: row for row in table[1:]}
        assert by_name["あげお薬局"][4] == "上尾 一郎"
        assert by_name["あげお薬局"][9] == "048-775-1234"
        assert by_name["あげお薬局"][16] == "ポスターの掲示"
        assert '\'=HYPERLINK("http://evil.example")' in by_name
        assert "'@SUM(1+1)" in by_name
        assert by_name['\'=HYPERLINK("http://evil.example")'][8] == "'+1+cmd|' /C calc'!A0"
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
        log = AccessLog.objects.get(action=AccessLog.Action.EXPORT, object_type="registry.roster")
        assert log.user == person.user and log.reason == "xlsx" and log.object_label == "3"

    def test_csv_is_utf8_with_bom_and_neutralised(self, client, login_as, rows):
        login_as(Role.HUB_SUPERVISOR, body=Body.objects.get(code="hub"))
        response = client.get(reverse("registry:roster_csv"), {"q": "薬局"})
        assert response.status_code == 200
        assert response.content.startswith(b"\xef\xbb\xbf")
        table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert table[0][0] == "名称"
        assert [row[0] for row in table[1:]] == ["あげお薬局"]
        all_rows = list(csv.reader(io.StringIO(client.get(reverse("registry:roster_csv")).content.decode("utf-8-sig"))))
        values = [value for row in all_rows for value in row]
        assert '\'=HYPERLINK("http://evil.example")' in values
        assert "'-2+3" in values and "'@SUM(1+1)" in values
        assert not any(v.startswith(("=", "+", "-", "@")) for v in values)
        assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT, reason="csv").count() == 2

    def test_roles_without_the_roster_are_refused(self, client, login_as, rows):
        login_as(Role.DEPARTMENT_STAFF, body=Body.objects.get(code="dept-seikatsu-shien"))
        assert client.get(reverse("registry:roster_xlsx")).status_code == 403
        assert client.get(reverse("registry:roster_csv")).status_code == 403
        # Nothing left the system; both refusals are on record (issue 8: every denied attempt is logged).
        assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT, outcome="allowed").exists()
        assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT, outcome="denied").count() == 2

    def test_wrong_method_is_405(self, client, login_as, bodies):
        login_as(Role.SECRETARIAT)
        assert client.post(reverse("registry:roster_csv")).status_code == 405


@pytest.mark.django_db
class TestPublicRoster:
    def test_shows_only_consenting_businesses_and_only_consented_fields(self, client, bodies):
        business(
            "公開薬局",
            business_kind="pharmacy",
            activities=["poster"],
            roster_consent=True,
            roster_show_phone=True,
            phone="048-111-2222",
            email="hidden@example.jp",
            address="上尾市非公開町1-1",
            representative="非公開 太郎",
        )
        business(
            "代表者も公開の居場所",
            business_kind="gathering",
            activities=["gathering"],
            roster_consent=True,
            roster_show_representative=True,
            representative="公開 花子",
        )
        business("非公開の店", roster_consent=False, phone="048-333-4444")
        gone = business("退会した店", roster_consent=True, joined_on=datetime.date(2024, 5, 1))
        services.body_withdraw(body=gone, left_on=datetime.date(2025, 1, 1), reason="申出", by=None)
        html = client.get("/registry/roster/").content.decode()
        assert "公開薬局" in html and "048-111-2222" in html and "ポスターの掲示" in html
        assert "hidden@example.jp" not in html and "非公開町" not in html and "非公開 太郎" not in html
        assert "公開 花子" in html
        assert "非公開の店" not in html and "048-333-4444" not in html
        assert "退会した店" not in html
        # Grouped by kind of business, and only businesses (no agencies or departments).
        assert html.index("薬局（1）") < html.index("居場所（1）")
        assert "上尾伊奈地域薬剤師会" not in html

    def test_is_public_and_query_count_does_not_grow(self, client, bodies, django_assert_max_num_queries):
        business("一件目", roster_consent=True, activities=["poster"])
        with CaptureQueriesContext(connection) as baseline:
            assert client.get("/registry/roster/").status_code == 200
        for n in range(30):
            business(f"公開{n}", roster_consent=True, business_kind="shop", activities=["poster", "goods"])
        with django_assert_max_num_queries(len(baseline)):
            response = client.get("/registry/roster/")
        assert response.context["total"] == 31

    def test_wrong_method_is_405(self, client):
        assert client.post("/registry/roster/").status_code == 405


@pytest.mark.django_db
def test_roster_pdf_lists_former_members_apart_in_wareki_and_is_logged(
    client, login_as, bodies, django_capture_on_commit_callbacks
):
    from pypdf import PdfReader

    from tests.factories.documents import prepared_file

    gone = business("退会した事業所", joined_on=datetime.date(2024, 5, 1))
    services.body_withdraw(body=gone, left_on=datetime.date(2025, 3, 31), reason="申出", by=None)
    business("活動中の薬局", business_kind="pharmacy", activities=["poster"])
    person = login_as(Role.SECRETARIAT)
    _, content = prepared_file(client, reverse("registry:roster_pdf"), django_capture_on_commit_callbacks)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    compact = text.replace("\n", "").replace(" ", "")
    assert "元構成機関（1）" in compact
    assert compact.index("元構成機関（1）") < compact.index("退会した事業所")
    assert "活動中の薬局" in compact and "ポスターの掲示" in compact
    assert "令和7年3月31日" in compact
    log = AccessLog.objects.get(action=AccessLog.Action.PDF, object_type="registry.roster")
    assert log.user == person.user


@pytest.mark.django_db
class TestPagination:
    """At 2,000 bodies the roster pages were 900 KB (staff) and 600 KB (public) of HTML: they show 100 at a time."""

    def test_staff_roster_pages_keep_the_totals_and_list_former_members_last(
        self, client, login_as, bodies, monkeypatch
    ):
        from registry import views

        monkeypatch.setattr(views, "BODY_PAGE_SIZE", 10)
        gone = business("退会した店", joined_on=datetime.date(2024, 5, 1))
        services.body_withdraw(body=gone, left_on=datetime.date(2025, 3, 31), reason="申出", by=None)
        login_as(Role.SECRETARIAT)
        first = client.get(reverse("registry:body_list"))
        assert len(first.context["bodies"]) == 10
        assert first.context["total"] == 28  # 26 fixtures, the secretary's own test body, the former one
        assert dict(first.context["counts"])["市の部署"] == 14
        assert "28件" in first.content.decode() and "page=2" in first.content.decode()
        last = client.get(reverse("registry:body_list"), {"page": 3})
        assert [b.name for b in last.context["former_bodies"]] == ["退会した店"]
        assert "元構成機関（1）" in last.content.decode()

    def test_public_roster_pages_group_by_kind_with_kind_totals(self, client, monkeypatch, bodies):
        from registry import views

        monkeypatch.setattr(views, "ROSTER_PAGE_SIZE", 3)
        for n in range(4):
            business(f"薬局{n}", business_kind="pharmacy", roster_consent=True, name_kana=f"ヤッキョク{n}")
        business("医院", business_kind="clinic", roster_consent=True, name_kana="イイン")
        business("非公開の店", business_kind="clinic", roster_consent=False)
        first = client.get(reverse("registry:roster_public"))
        html = first.content.decode()
        assert first.context["total"] == 5
        assert [(label, n, [b.name for b in rows]) for label, n, rows in first.context["groups"]] == [
            ("医療機関（診療所・病院）", 1, ["医院"]),
            ("薬局", 4, ["薬局0", "薬局1"]),
        ]
        assert "非公開の店" not in html and "page=2" in html
        second = client.get(reverse("registry:roster_public"), {"page": 2})
        assert [b.name for _, _, rows in second.context["groups"] for b in rows] == ["薬局2", "薬局3"]
