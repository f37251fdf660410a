"""The outreach panels of the home page: the member's placements, requests, events, report due; the
secretariat's open requests and low stock."""

from django.urls import reverse

from outreach import services
from registry.models import Body, Person
from registry.system import system_user
from tests.factories.outreach import make_event, make_material, make_placement, make_restock_request
from tests.factories.registry import make_body

Role = Person.Role


def test_the_member_panel(client, login_as, bodies, time_machine):
    time_machine.move_to("2026-05-10 10:00 +09:00")
    pharmacy = make_body(name="あげお中央薬局")
    make_restock_request(placement=make_placement(body=pharmacy))
    make_event(title="ゲートキーパー研修（春）")
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    html = client.get(reverse("home")).content.decode()
    assert "設置中の啓発物：1件（補充依頼中 1件）" in html
    assert "今年度の設置状況の確認がまだです" in html
    assert "ゲートキーパー研修（春）" in html
    assert "令和7年度の活動報告</a>がまだ提出されていません" in html
    services.activity_report_submit(
        body=pharmacy,
        fiscal_year=2025,
        data={"posters": 0, "leaflets": 0, "event_attendees": 0, "gatekeepers": 0, "text": ""},
        by=system_user(),
    )
    assert "活動報告</a>がまだ" not in client.get(reverse("home")).content.decode()


def test_the_secretariat_panel(client, login_as, bodies):
    make_restock_request()
    make_material(title="残り少ないカード", stock=5, low_stock_threshold=10)
    login_as(Role.SECRETARIAT, body=Body.objects.get(code="dept-jinken-danjo"))
    html = client.get(reverse("home")).content.decode()
    assert "未対応の補充依頼</a>：1件" in html and "残り少ないカード（5）" in html


def test_the_menu_entries_by_role(login_as, bodies):
    from outreach.access import nav_items

    secretariat = login_as(Role.SECRETARIAT, body=Body.objects.get(code="dept-jinken-danjo"))
    member = login_as(Role.BUSINESS_MEMBER, body=make_body())
    assert [name for name, _ in nav_items(secretariat.user)][0] == "outreach:dashboard"
    assert [name for name, _ in nav_items(member.user)][0] == "outreach:my_outreach"
