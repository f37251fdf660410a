"""The audit screens at scale: a capped count, filters resolved on the people tables, a body search, no decrypting."""

import pytest
from django.urls import reverse

from audit import views
from audit.tests.test_audit_views import log_row
from registry.models import Body, Person
from tests.factories.cases import make_case, make_hub_worker
from tests.factories.registry import make_person

Role = Person.Role


@pytest.fixture
def clerk(bodies):
    return make_person(role=Role.DEPARTMENT_STAFF, body=Body.objects.get(code="dept-seikatsu-shien"), name="山田 職員")


@pytest.mark.django_db
def test_count_is_capped_and_says_so(client, login_as, clerk, monkeypatch):
    monkeypatch.setattr(views, "COUNT_CAP", 5)
    for n in range(7):
        log_row(clerk.user, label=f"body-{n}")
    login_as(Role.SECRETARIAT)
    response = client.get(reverse("audit:accesslog_list"))
    assert response.context["page"].paginator.count == 6  # the cap plus one: enough to know it is past
    assert "5件以上" in response.content.decode()
    assert len(response.context["page"]) == 8  # the page itself is not capped (7 rows and this opening)


@pytest.mark.django_db
def test_small_counts_are_exact(client, login_as, clerk):
    log_row(clerk.user, label="body-1")
    login_as(Role.SECRETARIAT)
    response = client.get(reverse("audit:accesslog_list"), {"target": "body-1"})
    assert "1件" in response.content.decode()
    assert "以上" not in response.content.decode()


@pytest.mark.django_db
def test_person_filter_matches_part_of_a_name(client, login_as, clerk):
    mine = log_row(clerk.user, label="body-1")
    other = make_person(role=Role.DEPARTMENT_STAFF, body=clerk.body, name="佐藤 職員")
    log_row(other.user, label="body-2")
    login_as(Role.SECRETARIAT)
    page = client.get(reverse("audit:accesslog_list"), {"person": "山田"}).context["page"]
    assert [log.pk for log in page] == [mine.pk]


@pytest.mark.django_db
def test_body_search_by_part_of_its_name_replaces_the_drop_down(client, login_as, clerk):
    mine = log_row(clerk.user, label="body-1")
    police = make_person(role=Role.AGENCY_STAFF, body=Body.objects.get(code="agency-ageo-police"))
    log_row(police.user, label="body-2")
    login_as(Role.SECRETARIAT)
    response = client.get(reverse("audit:accesslog_list"), {"body_name": clerk.body.name[-4:]})
    assert [log.pk for log in response.context["page"]] == [mine.pk]
    html = response.content.decode()
    assert 'name="body_name"' in html
    assert f">{police.body.name}<" not in html  # no drop-down listing every body


@pytest.mark.django_db
def test_signin_screen_filters_by_body_through_the_accounts(client, login_as, clerk):
    from audit.models import SignInEvent

    SignInEvent.objects.create(kind=SignInEvent.Kind.LOGIN, user=clerk.user, username=clerk.user.username)
    login_as(Role.SECRETARIAT)
    page = client.get(reverse("audit:signin_list"), {"body": clerk.body.pk}).context["page"]
    assert [event.user_id for event in page] == [clerk.user_id]


@pytest.mark.django_db
def test_change_screen_decrypts_nothing(client, login_as, bodies, monkeypatch):
    worker = make_hub_worker()
    make_case(lead=worker, name="秘密 花子", phone="090-0000-0000")
    login_as(Role.HUB_SUPERVISOR)
    calls = []
    from cases import fields

    real = fields.decrypt
    monkeypatch.setattr(fields, "decrypt", lambda token: calls.append(token) or real(token))
    response = client.get(reverse("audit:change_list"))
    assert response.status_code == 200
    assert any(label == "ケース" for _, label, _ in response.context["rows"])
    assert calls == []
