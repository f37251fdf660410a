import pytest
from django.urls import reverse

from registry.models import Body, Person
from tests.factories.registry import make_body

Role = Person.Role


@pytest.mark.django_db
class TestBodyList:
    def test_staff_see_all_bodies_and_filter_by_kind(self, client, login_as, bodies):
        login_as(Role.SECRETARIAT)
        response = client.get(reverse("registry:body_list"), {"kind": "department"})
        assert response.status_code == 200
        names = [b.name for b in response.context["bodies"]]
        assert len(names) == 14
        assert "健康福祉部生活支援課" in names

    def test_filter_by_status_and_search_by_reading(self, client, login_as, bodies):
        make_body(name="旧事業所", name_kana="キュウジギョウショ", status=Body.Status.FORMER, left_on="2025-01-01")
        login_as(Role.HUB_WORKER)
        response = client.get(reverse("registry:body_list"), {"status": "former"})
        assert [b.name for b in response.context["bodies"]] == ["旧事業所"]
        response = client.get(reverse("registry:body_list"), {"q": "ｹｲｻﾂ"})  # half-width kana normalised
        assert [b.name for b in response.context["bodies"]] == ["埼玉県上尾警察署"]

    def test_business_member_sees_only_their_own_body(self, client, login_as, bodies):
        person = login_as(Role.BUSINESS_MEMBER)
        response = client.get(reverse("registry:body_list"))
        assert [b.pk for b in response.context["bodies"]] == [person.body_id]

    def test_query_count_does_not_grow_with_rows(self, client, login_as, bodies, django_assert_max_num_queries):
        login_as(Role.SECRETARIAT)
        for n in range(40):
            make_body(name=f"事業所{n}")
        with django_assert_max_num_queries(8):
            response = client.get(reverse("registry:body_list"))
        assert response.context["total"] == 67
        assert len(response.context["bodies"]) == 50  # a page (views.BODY_PAGE_SIZE)

    def test_wrong_method_is_405(self, client, login_as):
        login_as(Role.SECRETARIAT)
        assert client.post(reverse("registry:body_list")).status_code == 405


@pytest.mark.django_db
class TestBodyDetail:
    def test_shows_body_and_history(self, client, login_as, hub):
        login_as(Role.DEPARTMENT_STAFF)
        response = client.get(reverse("registry:body_detail", args=[hub.pk]))
        assert response.status_code == 200
        assert "変更履歴" in response.content.decode()

    def test_business_member_gets_404_for_another_body(self, client, login_as, hub):
        login_as(Role.BUSINESS_MEMBER)
        assert client.get(reverse("registry:body_detail", args=[hub.pk])).status_code == 404

    def test_bad_id_is_404(self, client, login_as, bodies):
        login_as(Role.SECRETARIAT)
        assert client.get(reverse("registry:body_detail", args=[999999])).status_code == 404


@pytest.mark.django_db
class TestBodyUpdate:
    def form_data(self, body, **changes):
        data = {
            "name": body.name,
            "name_kana": body.name_kana,
            "division": body.division,
            "section": body.section,
            "postal_code": body.postal_code,
            "address": body.address,
            "phone": body.phone,
            "email": body.email,
            "website": body.website,
            "in_city": "on" if body.in_city else "",
            "joined_on": body.joined_on.isoformat() if body.joined_on else "",
        }
        data.update(changes)
        return data

    def test_change_through_the_view_leaves_history_naming_the_user(self, client, login_as, hub):
        person = login_as(Role.SECRETARIAT)
        url = reverse("registry:body_update", args=[hub.pk])
        response = client.post(url, self.form_data(hub, phone="０４８－７７５－１２３４", postal_code="3628501"))
        assert response.status_code == 302
        hub.refresh_from_db()
        assert hub.phone == "048-775-1234"
        assert hub.postal_code == "362-8501"
        latest = hub.history.latest()
        assert latest.history_user == person.user
        assert latest.history_type == "~"
        detail = client.get(reverse("registry:body_detail", args=[hub.pk])).content.decode()
        assert person.user.username in detail
        assert "電話番号" in detail

    def test_bad_input_gets_japanese_messages_and_changes_nothing(self, client, login_as, hub):
        login_as(Role.SECRETARIAT)
        before = hub.history.count()
        response = client.post(
            reverse("registry:body_update", args=[hub.pk]),
            self.form_data(hub, name_kana="abc", postal_code="12-34", phone="12345"),
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "フリガナはカタカナで入力してください。" in html
        assert "郵便番号は「123-4567」の形で入力してください。" in html
        assert "電話番号は「048-775-1234」のように" in html
        assert hub.history.count() == before

    def test_read_only_role_gets_403(self, client, login_as, hub):
        login_as(Role.HUB_WORKER)
        response = client.post(reverse("registry:body_update", args=[hub.pk]), self.form_data(hub))
        assert response.status_code == 403

    def test_outsider_gets_404(self, client, login_as, hub):
        login_as(Role.BUSINESS_MEMBER)
        assert client.get(reverse("registry:body_update", args=[hub.pk])).status_code == 404

    def test_wrong_method_is_405(self, client, login_as, hub):
        login_as(Role.SECRETARIAT)
        assert client.delete(reverse("registry:body_update", args=[hub.pk])).status_code == 405


@pytest.mark.django_db
def test_roster_pdf_holds_the_japanese_names(client, login_as, bodies, django_capture_on_commit_callbacks):
    import io

    from pypdf import PdfReader

    from tests.factories.documents import prepared_file

    login_as(Role.SECRETARIAT)
    response, content = prepared_file(client, reverse("registry:roster_pdf"), django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="roster-')
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    compact = text.replace("\n", "").replace(" ", "")
    for name in ["上尾市男女共同参画推進センター", "上尾伊奈地域薬剤師会", "人権男女共同参画課"]:
        assert name in compact
    assert "令和" in text


@pytest.mark.django_db
def test_roster_pdf_is_403_for_a_business_member(client, login_as, bodies):
    login_as(Role.BUSINESS_MEMBER)
    assert client.post(reverse("registry:roster_pdf")).status_code == 403
