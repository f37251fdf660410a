"""Rules every cases URL keeps: unknown ids are 404 (and logged), wrong methods 405, no personal data in URLs."""

import uuid

import pytest
from django.urls import get_resolver, reverse

from audit.models import AccessLog
from cases import urls as case_urls
from registry.models import Body, Person
from tests.factories.cases import make_case

Role = Person.Role
POST_ONLY = {
    "intake_link",
    "intake_open_case",
    "intake_no_case",
    "case_stage",
    "case_closure_request",
    "case_closure_decide",
    "case_reopen",
    "consent_withdraw",
    "follow_up_done",
    "referral_acknowledge",
}
GET_ONLY = {
    "info_sent_list",
    "info_receipt",
    "intake_queue",
    "intake_detail",
    "worker_home",
    "supervisor_home",
    "referral_inbox",
    "case_detail",
    "referral_detail",
}
# GET and POST (the summary PDF: POST asks for the fields withheld under address protection, with a reason).
GET_OR_POST = {"case_pdf"}


def _kwargs(pattern, value):
    converters = pattern.pattern.converters
    return {name: (value if name == "uuid" else 1) for name in converters}


PATTERNS = [p for p in case_urls.urlpatterns]
WITH_ID = [p for p in PATTERNS if "uuid" in p.pattern.converters]


def test_every_object_url_uses_an_opaque_uuid():
    for pattern in PATTERNS:
        for name in pattern.pattern.converters:
            assert name in ("uuid", "pk"), pattern.name
            if name == "pk":
                assert "uuid" in pattern.pattern.converters, f"{pattern.name}: sequential id without its case's uuid"
    assert get_resolver().resolve("/cases/search/").url_name == "case_search"


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", WITH_ID, ids=lambda p: p.name)
def test_unknown_id_is_404_and_logged_for_the_widest_roles(client, login_as, bodies, pattern):
    role, code = (
        (Role.DEPARTMENT_STAFF, "dept-seikatsu-shien")
        if "referral_" in pattern.name and pattern.name != "referral_create"
        else (Role.HUB_SUPERVISOR, "hub")
    )
    if pattern.name == "info_receipt":
        role, code = Role.BUSINESS_MEMBER, None
    if pattern.name == "case_break_glass":
        role = Role.HUB_WORKER
    login_as(role, body=Body.objects.get(code=code) if code else None)
    missing = uuid.uuid4()
    method = "post" if pattern.name in POST_ONLY else "get"
    response = getattr(client, method)(reverse(f"cases:{pattern.name}", kwargs=_kwargs(pattern, missing)))
    assert response.status_code == 404
    assert AccessLog.objects.filter(object_id=str(missing), outcome="denied").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(POST_ONLY | GET_ONLY | GET_OR_POST))
def test_wrong_method_is_405(client, login_as, hub, name):
    login_as(Role.HUB_SUPERVISOR, body=hub)
    case = make_case()
    pattern = next(p for p in PATTERNS if p.name == name)
    kwargs = _kwargs(pattern, case.uuid)
    method = "get" if name in POST_ONLY else "put" if name in GET_OR_POST else "post"
    assert getattr(client, method)(reverse(f"cases:{name}", kwargs=kwargs)).status_code == 405


@pytest.mark.django_db
def test_search_results_query_budget(client, login_as, hub, django_assert_max_num_queries):
    login_as(Role.HUB_WORKER, body=hub)
    for _ in range(25):
        make_case(name_reading="オナジ ヨミ")
    with django_assert_max_num_queries(14):
        response = client.post(reverse("cases:case_search"), {"reading": "オナジヨミ"})
    assert len(response.context["results"]) == 25
    assert not any(row["visible"] for row in response.context["results"])
