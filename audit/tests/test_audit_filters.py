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


@pytest.mark.django_db
def test_target_filter_pages_newest_first_without_a_list_of_every_match(client, login_as, clerk, monkeypatch):
    """A target is filtered by one OR over its indexed columns and the page sorts ids only: no query carries the
    ids of every matching row (at 10 years one body's target matched 2,500 rows, all passed back as parameters)."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(views, "PAGE_SIZE", 5)
    rows = [log_row(clerk.user, label="body-9") for _ in range(12)]
    log_row(clerk.user, label="body-8")
    login_as(Role.SECRETARIAT)
    newest_first = [row.pk for row in sorted(rows, key=lambda r: (r.at, r.pk), reverse=True)]
    with CaptureQueriesContext(connection) as queries:
        first = client.get(reverse("audit:accesslog_list"), {"target": "body-9"}).context["page"]
    assert [log.pk for log in first] == newest_first[:5]
    assert first.paginator.count == 12
    id_lists = [m.split(",") for q in queries.captured_queries for m in re.findall(r'"id" IN \(([^)]*)\)', q["sql"])]
    assert id_lists and max(len(ids) for ids in id_lists) <= 5  # the page's ids, never the 12 matches
    second = client.get(reverse("audit:accesslog_list"), {"target": "body-9", "page": 2}).context["page"]
    assert [log.pk for log in second] == newest_first[5:10]
    assert second[0].user.pk == clerk.user.pk and second[0].body == clerk.body  # the joins of the row still loaded


@pytest.mark.django_db
def test_filter_form_marks_a_bad_field_and_says_why_in_japanese(client, login_as):
    """The filter fields are plain Bootstrap markup (no crispy templates): a bad value is marked on its field,
    with the message beside it, and no row is shown."""
    login_as(Role.SECRETARIAT)
    response = client.get(reverse("audit:accesslog_list"), {"date_from": "2025-13-40", "person": "山田"})
    html = response.content.decode()
    assert 'class="form-control is-invalid" aria-invalid="true"' in html and 'id="id_date_from"' in html
    assert '<div class="invalid-feedback d-block">日付を正しく入力してください。</div>' in html
    assert '<label class="form-label" for="id_person">担当者（氏名・ユーザー名）</label>' in html
    assert 'value="山田"' in html
    assert len(response.context["page"]) == 0
