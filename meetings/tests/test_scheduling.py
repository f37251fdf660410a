import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import services
from meetings.models import Meeting
from registry.models import Person
from tests.factories.meetings import WEDNESDAY, make_meeting, make_secretariat

Role = Person.Role
pytestmark = pytest.mark.django_db


def test_titles_are_numbered_per_fiscal_year_and_type(bodies):
    first = make_meeting(date=WEDNESDAY)
    second = make_meeting(date=WEDNESDAY)
    practitioners = make_meeting(kind=Meeting.Kind.PRACTITIONERS, date=WEDNESDAY)
    next_year = make_meeting(date=datetime.date(2025, 5, 21))
    assert first.title == "令和6年度 第1回 上尾市困難女性支援ネットワーク代表者会議"
    assert second.title == "令和6年度 第2回 上尾市困難女性支援ネットワーク代表者会議"
    assert practitioners.title == "令和6年度 第1回 上尾市困難女性支援ネットワーク実務者会議"
    assert next_year.title == "令和7年度 第1回 上尾市困難女性支援ネットワーク代表者会議"


def test_march_belongs_to_the_fiscal_year_that_began_the_april_before(bodies):
    meeting = make_meeting(date=datetime.date(2025, 3, 12))
    assert meeting.fiscal_year == 2024 and meeting.title.startswith("令和6年度 第1回")


def test_a_case_review_title_names_nobody(bodies):
    meetings = [make_meeting(kind=Meeting.Kind.CASE_REVIEW, date=WEDNESDAY) for _ in range(3)]
    assert [m.title for m in meetings] == [f"個別ケース検討会議（第{n}回）" for n in (1, 2, 3)]


def test_only_the_secretariat_organises_art_7_and_8_and_only_the_hub_art_9(bodies, person_factory):
    hub_worker = person_factory(role=Role.HUB_WORKER, body=bodies.get(code="hub"))
    data = {"date": WEDNESDAY, "start_time": datetime.time(10), "end_time": datetime.time(11), "place": "会議室"}
    with pytest.raises(ValidationError):
        services.meeting_create(kind=Meeting.Kind.REPRESENTATIVES, data=data, organiser=hub_worker, by=hub_worker.user)
    secretariat = make_secretariat()
    with pytest.raises(ValidationError):
        services.meeting_create(kind=Meeting.Kind.CASE_REVIEW, data=data, organiser=secretariat, by=secretariat.user)


def test_end_must_follow_start(bodies):
    with pytest.raises(ValidationError):
        make_meeting(start_time=datetime.time(15), end_time=datetime.time(14))


def _post_data(day: datetime.date, **extra):
    return {
        "kind": "representatives",
        "date": day.isoformat(),
        "start_time": "14:00",
        "end_time": "16:00",
        "place": "上尾市役所 7階 大会議室",
        **extra,
    }


def test_create_view_warns_on_a_holiday_and_keeps_the_meeting(client, login_as, bodies):
    login_as(Role.SECRETARIAT, body=bodies.get(code="dept-jinken-danjo"))
    # 2024-11-23 is 勤労感謝の日 (a Saturday too); jpholiday names the holiday.
    response = client.post(reverse("meetings:meeting_create"), _post_data(datetime.date(2024, 11, 23)), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "勤労感謝の日" in page and "閉庁日" in page
    assert "令和6年11月23日（土）" in page
    assert Meeting.objects.count() == 1


def test_create_view_does_not_warn_on_a_working_day(client, login_as, bodies):
    login_as(Role.SECRETARIAT, body=bodies.get(code="dept-jinken-danjo"))
    response = client.post(reverse("meetings:meeting_create"), _post_data(WEDNESDAY), follow=True)
    assert "閉庁日" not in response.content.decode()
    assert "令和6年11月20日（水）" in response.content.decode()


def test_create_view_offers_a_worker_only_art_9(client, login_as, bodies):
    login_as(Role.HUB_WORKER, body=bodies.get(code="hub"))
    response = client.post(reverse("meetings:meeting_create"), _post_data(WEDNESDAY))
    assert response.status_code == 200  # the form again: representatives is not a choice for the hub
    assert Meeting.objects.count() == 0
    response = client.post(reverse("meetings:meeting_create"), _post_data(WEDNESDAY, kind="case_review"))
    assert response.status_code == 302
    assert Meeting.objects.get().title == "個別ケース検討会議（第1回）"


def test_create_view_refuses_a_department_member(client, login_as, seikatsu):
    login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
    assert client.post(reverse("meetings:meeting_create"), _post_data(WEDNESDAY)).status_code == 403
    assert Meeting.objects.count() == 0


def test_create_view_wrong_method(client, login_as, bodies):
    login_as(Role.SECRETARIAT, body=bodies.get(code="dept-jinken-danjo"))
    assert client.put(reverse("meetings:meeting_create")).status_code == 405
