"""The public list of public events: no sign-in, GET/HEAD only, upcoming public events that are not cancelled,
with 和暦 dates, times, place and 空きあり/満席, linking to each form; the campaign period note."""

import pytest
from django.urls import reverse

from audit.models import AccessLog
from outreach import services
from outreach.models import Event, Registration
from registry.system import system_user
from tests.factories.outreach import make_event, make_registration

URL = "/outreach/public/events/"


@pytest.fixture
def events(bodies, time_machine):
    time_machine.move_to("2030-10-01 09:00 +09:00")
    soon = make_event(audience=Event.Audience.PUBLIC, days_ahead=46, title="公開講演会", capacity=2)  # 11/16 (土)
    full = make_event(audience=Event.Audience.PUBLIC, days_ahead=60, title="満席の研修", capacity=1)
    make_registration(event=full, name="一般 一子")
    make_registration(event=soon, name="一般 二子", status=Registration.Status.CANCELLED)
    make_event(audience=Event.Audience.MEMBERS, days_ahead=10, title="構成機関だけの研修")
    make_event(audience=Event.Audience.PUBLIC, days_ahead=-3, title="終わった講演会")
    cancelled = make_event(audience=Event.Audience.PUBLIC, days_ahead=20, title="中止の講演会")
    services.event_cancel(event=cancelled, by=system_user())
    return soon, full


def test_anyone_sees_upcoming_public_events_with_their_availability(client, events):
    soon, full = events
    assert reverse("outreach:public_event_list") == URL
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "公開講演会" in html and "満席の研修" in html
    assert "構成機関だけの研修" not in html and "終わった講演会" not in html and "中止の講演会" not in html
    assert html.index("公開講演会") < html.index("満席の研修")
    assert '令和12年11月16日（土）</span> <span class="text-nowrap">14:00〜16:00' in html and soon.place in html
    assert '空きあり</span> <span class="small">残り2人</span>' in html  # a cancelled registration frees its place
    assert "満席（キャンセル待ちで受付）" in html
    assert reverse("outreach:public_register", args=[soon.uuid]) in html
    assert reverse("outreach:public_register", args=[full.uuid]) in html
    assert "運動期間" in html and "令和12年11月12日〜令和12年11月25日" in html
    assert not AccessLog.objects.exists()  # nothing personal is read


def test_only_get_and_head(client, events):
    assert client.head(URL).status_code == 200
    assert client.post(URL).status_code == 405


def test_the_list_takes_a_fixed_number_of_queries(client, bodies, django_assert_max_num_queries):
    for n in range(60):
        event = make_event(audience=Event.Audience.PUBLIC, title=f"公開{n}", days_ahead=5 + n)
        make_registration(event=event)
    with django_assert_max_num_queries(6):
        html = client.get(URL).content.decode()
    assert html.count("申し込む</a>") == 60


def test_the_login_page_links_to_the_list(client, db):
    html = client.get(reverse("login")).content.decode()
    assert f'href="{URL}"' in html
