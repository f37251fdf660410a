"""An event held together with an Art. 7/8 meeting: the form offers only those (recent first, never a
case-review or a cancelled meeting), the service refuses the rest, the event page links the meeting only for
who may open it, the meeting page lists its events."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services as meeting_services
from meetings.models import Meeting
from outreach import services
from outreach.models import Event
from registry.models import Body, Person
from registry.system import system_user
from tests.factories.meetings import make_meeting
from tests.factories.outreach import make_event
from tests.factories.registry import make_body

Role = Person.Role
Kind = Meeting.Kind


@pytest.fixture
def secretariat_body(bodies):
    return Body.objects.get(code="dept-jinken-danjo")


def _form_data(body, **overrides):
    data = {
        "kind": "lecture",
        "title": "代表者会議 講演会",
        "day": "2030-11-20",
        "start_time": "15:00",
        "end_time": "16:30",
        "place": "上尾市役所 7階 大会議室",
        "capacity": 80,
        "audience": "members",
        "organiser": body.pk,
        "description": "",
    }
    data.update(overrides)
    return data


def test_the_form_offers_art_7_and_8_meetings_recent_first_never_case_review_or_cancelled(
    client, login_as, secretariat_body
):
    older = make_meeting(kind=Kind.REPRESENTATIVES, date=datetime.date(2030, 5, 22))
    newer = make_meeting(kind=Kind.PRACTITIONERS, date=datetime.date(2030, 11, 20))
    case_review = make_meeting(kind=Kind.CASE_REVIEW, date=datetime.date(2030, 11, 21))
    cancelled = make_meeting(kind=Kind.PRACTITIONERS, date=datetime.date(2030, 11, 27))
    meeting_services.meeting_cancel(meeting=cancelled, by=cancelled.organiser.user)
    login_as(Role.SECRETARIAT, body=secretariat_body)
    response = client.get(reverse("outreach:event_create"))
    assert list(response.context["form"].fields["meeting"].queryset) == [newer, older]
    html = response.content.decode()
    select = html[html.index('name="meeting"') : html.index("</select>", html.index('name="meeting"'))]
    assert select.index(f'value="{newer.pk}"') < select.index(f'value="{older.pk}"')
    assert f'value="{case_review.pk}"' not in select and f'value="{cancelled.pk}"' not in select
    assert "個別ケース検討会議" not in html
    assert f"{newer.title}（令和12年11月20日（水））" in select


def test_the_secretariat_links_an_event_to_a_meeting_and_both_pages_show_it(client, login_as, secretariat_body):
    meeting = make_meeting(kind=Kind.REPRESENTATIVES, date=datetime.date(2030, 11, 20))
    login_as(Role.SECRETARIAT, body=secretariat_body)
    response = client.post(reverse("outreach:event_create"), _form_data(secretariat_body, meeting=meeting.pk))
    event = Event.objects.get()
    assert response.status_code == 302 and event.meeting == meeting
    html = client.get(reverse("outreach:event_detail", args=[event.uuid])).content.decode()
    assert f'<a href="{meeting.get_absolute_url()}">{meeting.title}</a>' in html
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "同時開催の行事" in page
    assert (
        f'<a href="{reverse("outreach:event_detail", args=[event.uuid])}">代表者会議 講演会</a>（令和12年11月20日（水） 15:00〜16:30）'
        in page
    )


@pytest.mark.parametrize("which", ["case_review", "cancelled"])
def test_a_case_review_or_cancelled_meeting_posted_to_the_form_is_refused_and_nothing_is_stored(
    client, login_as, secretariat_body, which
):
    if which == "case_review":
        meeting = make_meeting(kind=Kind.CASE_REVIEW, date=datetime.date(2030, 11, 20))
    else:
        meeting = make_meeting(kind=Kind.PRACTITIONERS, date=datetime.date(2030, 11, 20))
        meeting_services.meeting_cancel(meeting=meeting, by=meeting.organiser.user)
    login_as(Role.SECRETARIAT, body=secretariat_body)
    response = client.post(reverse("outreach:event_create"), _form_data(secretariat_body, meeting=meeting.pk))
    assert response.status_code == 200 and not Event.objects.exists()
    assert "この会議は選べません。中止になっていない代表者会議・実務者会議から選んでください。" in (
        response.content.decode()
    )


def test_the_service_refuses_a_case_review_or_cancelled_meeting_too(bodies):
    case_review = make_meeting(kind=Kind.CASE_REVIEW, date=datetime.date(2030, 11, 20))
    event = make_event()
    with pytest.raises(ValidationError, match="個別ケース検討会議とは同時開催にできません"):
        services.event_update(event=event, data={"meeting": case_review}, by=system_user())
    event.refresh_from_db()
    assert event.meeting is None
    cancelled = make_meeting(kind=Kind.REPRESENTATIVES, date=datetime.date(2030, 11, 20))
    meeting_services.meeting_cancel(meeting=cancelled, by=cancelled.organiser.user)
    data = {f: getattr(event, f) for f in ("kind", "title", "starts_at", "ends_at", "place", "capacity")}
    with pytest.raises(ValidationError, match="中止になった会議とは同時開催にできません"):
        services.event_create(data={**data, "organiser": event.organiser, "meeting": cancelled}, by=system_user())
    assert Event.objects.count() == 1


def test_a_link_made_before_the_meeting_was_cancelled_survives_editing_the_event(client, login_as, secretariat_body):
    meeting = make_meeting(kind=Kind.REPRESENTATIVES, date=datetime.date(2030, 11, 20))
    event = make_event(meeting=meeting)
    meeting_services.meeting_cancel(meeting=meeting, by=meeting.organiser.user)
    login_as(Role.SECRETARIAT, body=secretariat_body)
    response = client.post(
        reverse("outreach:event_update", args=[event.uuid]),
        _form_data(secretariat_body, title="改題した講演会", meeting=meeting.pk, day="2030-11-20"),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.meeting) == ("改題した講演会", meeting)
    html = client.get(reverse("outreach:event_detail", args=[event.uuid])).content.decode()
    assert f"{meeting.title}</a>（中止）" in html


def test_the_meeting_is_linked_only_for_who_may_open_it(client, login_as, bodies):
    invited = make_body(name="招集された薬局")
    meeting = make_meeting(kind=Kind.PRACTITIONERS, date=datetime.date(2030, 11, 20), invite=[invited])
    event = make_event(meeting=meeting)
    url = reverse("outreach:event_detail", args=[event.uuid])
    login_as(Role.BUSINESS_MEMBER, body=make_body(name="招集されていない薬局"))
    html = client.get(url).content.decode()
    assert meeting.title in html and meeting.get_absolute_url() not in html
    assert client.get(meeting.get_absolute_url()).status_code == 404  # the same rule as the meeting page
    login_as(Role.BUSINESS_MEMBER, body=invited)
    html = client.get(url).content.decode()
    assert f'<a href="{meeting.get_absolute_url()}">' in html
    assert client.get(meeting.get_absolute_url()).status_code == 200


def test_the_meeting_page_loads_its_events_in_one_query_whatever_their_number(client, login_as, secretariat_body):
    meeting = make_meeting(kind=Kind.REPRESENTATIVES, date=datetime.date(2030, 11, 20))
    login_as(Role.SECRETARIAT, body=secretariat_body)

    def page():
        with CaptureQueriesContext(connection) as queries:
            html = client.get(meeting.get_absolute_url()).content.decode()
        return len(queries), html

    before, html = page()
    assert "同時開催の行事" not in html
    for n in range(5):
        make_event(meeting=meeting, title=f"同時開催{n}")
    after, html = page()
    assert after == before  # the one query runs with or without events
    assert all(f"同時開催{n}</a>" in html for n in range(5))


def test_a_case_review_meeting_page_never_lists_events(client, login_as, hub):
    meeting = make_meeting(kind=Kind.CASE_REVIEW, date=datetime.date(2030, 11, 20))
    # Only a write around the service could make this link; the page still does not show (or ask for) it.
    make_event(meeting=meeting)
    login_as(Role.HUB_SUPERVISOR, body=hub)
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    assert response.context["events"] == [] and "同時開催の行事" not in response.content.decode()
