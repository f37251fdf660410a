"""The secretariat's home shows what waits for it, with counts; a body's people are asked for the review."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from registry import services
from registry.models import Person, WithdrawalRequest
from tests.factories.registry import make_application, make_body, make_person

Role = Person.Role
MARCH = datetime.datetime(2027, 3, 10, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
JUNE = datetime.datetime(2027, 6, 10, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


def _counts(html: str) -> dict[str, str]:
    import re

    return dict(re.findall(r'<a href="[^"]+">([^<]+)</a>\s*<span class="badge[^"]*">(\d+)件</span>', html))


@pytest.mark.django_db
def test_secretariat_home_counts_what_waits(client, login_as, seikatsu, police, django_assert_max_num_queries):
    with time_machine.travel(MARCH):
        secretariat = login_as(Role.SECRETARIAT)
        make_application()
        make_application()
        business = make_body(needs_review=True)
        member = make_person(body=business)
        WithdrawalRequest.objects.create(body=business, requested_by=member.user)
        staff = make_person(role=Role.DEPARTMENT_STAFF, body=seikatsu)
        make_person(role=Role.AGENCY_STAFF, body=police)
        services.annual_review_answer(body=seikatsu, year=2027, continuing={staff.pk: True}, by=staff.user)
        with django_assert_max_num_queries(25):
            html = client.get(reverse("home")).content.decode()
    counts = _counts(html)
    assert counts["審査待ちの登録申請"] == "2"
    assert counts["確認待ちの事業所の変更"] == "1"
    assert counts["退会の申出"] == "1"
    # The secretariat's own department, the police and the business have not answered; 生活支援課 has.
    assert counts["年度替わりの確認に未回答の機関"] == "3"
    assert secretariat.body.name != seikatsu.name


@pytest.mark.django_db
def test_outside_the_review_season_no_review_row(client, login_as):
    with time_machine.travel(JUNE):
        login_as(Role.SECRETARIAT)
        html = client.get(reverse("home")).content.decode()
    assert "審査待ちの登録申請" in html and "年度替わりの確認に未回答の機関" not in html


@pytest.mark.django_db
def test_a_body_that_has_not_answered_is_asked_on_its_home(client, login_as, seikatsu):
    with time_machine.travel(MARCH):
        person = login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
        html = client.get(reverse("home")).content.decode()
        assert reverse("registry:annual_review_answer", args=[seikatsu.pk]) in html
        assert "審査待ちの登録申請" not in html
        services.annual_review_answer(body=seikatsu, year=2027, continuing={person.pk: True}, by=person.user)
        assert "年度替わりの確認をお願いします" not in client.get(reverse("home")).content.decode()
