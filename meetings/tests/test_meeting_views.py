import pytest
from django.urls import reverse

from audit.models import AccessLog
from meetings import services
from meetings.models import Meeting
from registry.models import Person
from tests.factories.meetings import WEDNESDAY, lock_minutes, make_meeting, make_secretariat

Role = Person.Role
pytestmark = pytest.mark.django_db


def _many(n, *, organiser, invite=(), kind=Meeting.Kind.REPRESENTATIVES):
    return [make_meeting(kind=kind, organiser=organiser, invite=invite, date=WEDNESDAY) for _ in range(n)]


@pytest.fixture
def two_hundred(bodies, seikatsu):
    organiser = make_secretariat()
    return _many(200, organiser=organiser, invite=[seikatsu])


def test_list_query_budget_secretariat(client, login_as, bodies, two_hundred, django_assert_max_num_queries):
    login_as(Role.SECRETARIAT, body=bodies.get(code="dept-jinken-danjo"))
    with django_assert_max_num_queries(15):
        response = client.get(reverse("meetings:meeting_list"))
    assert response.content.decode().count('href="/meetings/') >= 200


def test_list_query_budget_invited_member(client, login_as, seikatsu, two_hundred, django_assert_max_num_queries):
    login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("meetings:meeting_list"))
    assert response.content.decode().count("代表者会議</a>") == 200


def test_public_list_query_budget(client, two_hundred, django_assert_max_num_queries):
    for meeting in two_hundred:
        lock_minutes(meeting)
        services.minutes_publish(minutes=meeting.minutes, by=meeting.organiser.user)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("meetings:public_minutes_list"))
    assert response.content.decode().count("minutes.pdf") == 200


def test_list_shows_only_meetings_of_invited_bodies(client, login_as, bodies, seikatsu, police):
    mine = make_meeting(invite=[seikatsu])
    other = make_meeting(invite=[police])
    login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
    page = client.get(reverse("meetings:meeting_list")).content.decode()
    assert str(mine.uuid) in page and str(other.uuid) not in page


def test_list_refuses_the_system_administrator(client, login_as, bodies):
    login_as(Role.SYSADMIN, body=bodies.get(code="dept-jinken-danjo"))
    assert client.get(reverse("meetings:meeting_list")).status_code == 403


def test_detail_logs_art_7_on_the_network_side(client, login_as, seikatsu):
    meeting = make_meeting(invite=[seikatsu])
    login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    row = AccessLog.objects.get(object_id=str(meeting.uuid))
    assert row.scope == AccessLog.Scope.NETWORK and row.outcome == "allowed"


def test_detail_outsider_404_and_bad_id_404(client, login_as, seikatsu, police):
    meeting = make_meeting(invite=[seikatsu])
    login_as(Role.AGENCY_STAFF, body=police)
    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("meetings:meeting_detail", args=["00000000-0000-0000-0000-000000000001"])).status_code == 404
    )
    assert AccessLog.objects.filter(outcome="denied").count() == 2


def test_update_is_403_for_an_invited_reader_and_405_for_put(client, login_as, seikatsu):
    meeting = make_meeting(invite=[seikatsu])
    login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
    url = reverse("meetings:meeting_update", args=[meeting.uuid])
    assert client.post(url, {"date": WEDNESDAY.isoformat()}).status_code == 403
    assert client.put(url).status_code == 405


def test_secretariat_sees_only_metadata_of_an_art_9_meeting(client, login_as, bodies, seikatsu):
    from tests.factories.meetings import make_agenda_item

    meeting = make_meeting(kind=Meeting.Kind.CASE_REVIEW, invite=[seikatsu])
    make_agenda_item(meeting, title="R6-0007 の支援方針", presenter="相談員")
    login_as(Role.SECRETARIAT, body=bodies.get(code="dept-jinken-danjo"))
    response = client.get(meeting.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert seikatsu.name in page and "令和" in page
    assert "R6-0007" not in page and "支援方針" not in page and meeting.place not in page
    row = AccessLog.objects.get(object_id=str(meeting.uuid))
    assert row.scope == AccessLog.Scope.CASE
    url = reverse("meetings:meeting_update", args=[meeting.uuid])
    assert client.get(url).status_code == 403


def test_hub_worker_sees_art_9_meetings_they_organise_not_others(client, login_as, bodies):
    me = login_as(Role.HUB_WORKER, body=bodies.get(code="hub"))
    mine = make_meeting(kind=Meeting.Kind.CASE_REVIEW, organiser=me)
    other = make_meeting(kind=Meeting.Kind.CASE_REVIEW)
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    page = client.get(reverse("meetings:meeting_list")).content.decode()
    assert str(mine.uuid) in page and str(other.uuid) not in page


def test_hub_worker_sees_an_art_9_meeting_through_a_case_they_are_assigned(client, login_as, bodies):
    from tests.factories.cases import make_case
    from tests.factories.meetings import make_agenda_item

    me = login_as(Role.HUB_WORKER, body=bodies.get(code="hub"))
    meeting = make_meeting(kind=Meeting.Kind.CASE_REVIEW)
    other = make_meeting(kind=Meeting.Kind.CASE_REVIEW)
    make_agenda_item(meeting, case=make_case(lead=me))
    make_agenda_item(other, case=make_case())
    assert client.get(meeting.get_absolute_url()).status_code == 200
    assert client.get(reverse("meetings:meeting_update", args=[meeting.uuid])).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    row = AccessLog.objects.filter(object_id=str(meeting.uuid), outcome="allowed").first()
    assert row.basis == AccessLog.Basis.ASSIGNMENT and row.scope == AccessLog.Scope.CASE


def test_supervisor_audit_screen_shows_meeting_basis_reads(client, login_as, bodies, seikatsu):
    """Rows about Art. 9 meetings are on the case side: the supervisor's audit lists them, the secretariat's not."""
    from django.test import Client

    from conftest import _login_as

    meeting = make_meeting(kind=Meeting.Kind.CASE_REVIEW, invite=[seikatsu])
    login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
    client.get(meeting.get_absolute_url())
    row = AccessLog.objects.get(object_id=str(meeting.uuid))
    assert row.scope == AccessLog.Scope.CASE and row.basis == AccessLog.Basis.MEETING
    supervisor, secretariat = Client(), Client()
    _login_as(supervisor, Role.HUB_SUPERVISOR, bodies.get(code="hub"))
    _login_as(secretariat, Role.SECRETARIAT, bodies.get(code="dept-jinken-danjo"))
    url = reverse("audit:accesslog_list")
    assert str(meeting.uuid) in supervisor.get(url).content.decode()
    assert str(meeting.uuid) not in secretariat.get(url).content.decode()
