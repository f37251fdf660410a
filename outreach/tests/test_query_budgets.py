"""The remaining list pages with enough rows to catch a query per row."""

import pytest
from django.urls import reverse

from outreach.models import Registration
from registry.models import Body, Person
from tests.factories.outreach import make_event, make_material, make_placement, make_registration, make_restock_request
from tests.factories.registry import make_body

Role = Person.Role


@pytest.fixture
def secretariat(bodies, login_as):
    return login_as(Role.SECRETARIAT, body=Body.objects.get(code="dept-jinken-danjo"))


def test_the_restock_list_of_60_requests(client, secretariat, django_assert_max_num_queries):
    material = make_material()
    for n in range(60):
        make_restock_request(placement=make_placement(body=make_body(name=f"依頼元{n}"), material=material))
    with django_assert_max_num_queries(12):
        page = client.get(reverse("outreach:restock_list")).content.decode()
    assert page.count("依頼元") == 60


def test_the_gatekeeper_roster_of_120_people(client, secretariat, django_assert_max_num_queries):
    events = [make_event(days_ahead=-30 * n) for n in range(1, 5)]
    bodies = [make_body(name=f"研修受講{n}") for n in range(10)]
    for n in range(120):
        make_registration(event=events[n % 4], body=bodies[n % 10], attended=True, certificate_serial=f"GK2026-{n:04d}")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("outreach:gatekeeper_roster")).content.decode()
    assert page.count("GK2026-") == 120


def test_the_event_page_with_80_registrants(client, secretariat, django_assert_max_num_queries):
    event = make_event(capacity=60)
    body = make_body()
    for n in range(80):
        make_registration(
            event=event,
            body=body,
            name=f"参加者{n}",
            status=Registration.Status.REGISTERED if n < 60 else Registration.Status.WAITING,
        )
    with django_assert_max_num_queries(15):
        page = client.get(reverse("outreach:event_detail", args=[event.uuid])).content.decode()
    assert page.count("参加者") >= 80
    with django_assert_max_num_queries(15):
        client.get(reverse("outreach:event_attendance", args=[event.uuid]))


def test_the_activity_report_list_of_every_body(client, secretariat, django_assert_max_num_queries):
    for n in range(40):
        make_body(name=f"報告元{n}")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("outreach:activity_report_list")).content.decode()
    assert page.count("未提出") >= 40
