"""Activity reports per 年度: pre-filled from placements and registrations, who has reported, reminders."""

import pytest
from django.core import mail
from django.urls import reverse

from outreach import services
from outreach.models import ActivityReport
from registry.models import Body, Person
from registry.system import system_user
from tests.factories.outreach import make_event, make_material, make_registration
from tests.factories.registry import make_body, make_person

Role = Person.Role
pytestmark = pytest.mark.django_db


@pytest.fixture
def pharmacy(bodies):
    return make_body(name="あげお中央薬局")


def test_the_form_is_prefilled_and_the_body_files_its_report(client, login_as, pharmacy, time_machine):
    time_machine.move_to("2026-06-01 10:00 +09:00")
    by = system_user()
    poster = make_material(kind="poster", stock=100)
    card = make_material(kind="card", stock=500)
    services.stock_ship(material=poster, body=pharmacy, quantity=3, spot="notice_board", by=by)
    services.stock_ship(material=card, body=pharmacy, quantity=50, spot="womens_restroom", by=by)
    services.stock_ship(material=card, body=make_body(), quantity=20, spot="reception", by=by)  # not ours
    event = make_event(days_ahead=-10)
    make_registration(event=event, body=pharmacy, attended=True)
    make_registration(event=event, body=pharmacy, attended=False)
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    page = client.get(reverse("outreach:activity_report_edit")).content.decode()
    assert 'name="posters" value="3"' in page and 'name="leaflets" value="50"' in page
    assert 'name="event_attendees" value="1"' in page and 'name="gatekeepers" value="1"' in page
    data = {"posters": 4, "leaflets": 50, "event_attendees": 1, "gatekeepers": 1, "text": "待合室でも配りました。"}
    assert client.post(reverse("outreach:activity_report_edit"), data).status_code == 302
    report = ActivityReport.objects.get()
    assert (report.body, report.fiscal_year, report.posters) == (pharmacy, 2026, 4)
    # Correcting it keeps one report with history.
    client.post(reverse("outreach:activity_report_edit"), {**data, "posters": 5})
    assert ActivityReport.objects.get().posters == 5 and ActivityReport.objects.get().history.count() == 2


def test_the_secretariat_sees_who_reported_and_reminds_the_rest(
    client, login_as, pharmacy, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to("2026-06-01 10:00 +09:00")
    quiet = make_body(name="未提出の事業所")
    person = make_person(body=quiet)
    person.user.email = "quiet@example.jp"
    person.user.save(update_fields=["email"])
    services.activity_report_submit(
        body=pharmacy,
        fiscal_year=2026,
        data={"posters": 1, "leaflets": 2, "event_attendees": 3, "gatekeepers": 0, "text": ""},
        by=system_user(),
    )
    login_as(Role.SECRETARIAT, body=Body.objects.get(code="dept-jinken-danjo"))
    page = client.get(reverse("outreach:activity_report_list"), {"year": 2026}).content.decode()
    assert '<strong id="reported">1</strong>' in page
    assert "未提出の事業所" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("outreach:activity_report_remind") + "?year=2026")
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert "quiet@example.jp" in recipients
    assert all("令和8年度の活動報告のお願い" in m.subject for m in mail.outbox)
    assert not any(m.to == [p.user.email] for p in pharmacy.people.all() for m in mail.outbox if p.user.email)


def test_the_dashboard_draws_its_charts_as_svg_with_tables(client, login_as, pharmacy, django_assert_max_num_queries):
    by = system_user()
    card = make_material(kind="card", stock=500, title="相談カード")
    services.stock_ship(material=card, body=pharmacy, quantity=50, spot="womens_restroom", by=by)
    event = make_event(days_ahead=-1)
    make_registration(event=event, body=pharmacy, attended=True)
    login_as(Role.SECRETARIAT, body=Body.objects.get(code="dept-jinken-danjo"))
    with django_assert_max_num_queries(25):
        page = client.get(reverse("outreach:dashboard")).content.decode()
    assert page.count("<svg") == 5
    assert "相談カード（日本語）" in page and ">相談カード（日本語）</text>" in page and ">450枚</text>" in page
    assert "style=" not in page.split("<svg", 1)[1]  # CSP: presentation attributes only
