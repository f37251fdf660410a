"""Rules every cases URL keeps: no personal data in URLs (opaque ids only).

Unknown ids (404, logged) and wrong methods (405) are checked for every URL of every app by
tests/test_permission_matrix.py."""

import pytest
from django.urls import get_resolver, reverse

from cases import urls as case_urls
from registry.models import Person
from tests.factories.cases import make_case

Role = Person.Role
PATTERNS = [p for p in case_urls.urlpatterns]


def test_every_object_url_uses_an_opaque_uuid():
    for pattern in PATTERNS:
        for name in pattern.pattern.converters:
            assert name in ("uuid", "pk"), pattern.name
            if name == "pk":
                assert "uuid" in pattern.pattern.converters, f"{pattern.name}: sequential id without its case's uuid"
    assert get_resolver().resolve("/cases/search/").url_name == "case_search"


@pytest.mark.django_db
def test_search_results_query_budget(client, login_as, hub, django_assert_max_num_queries):
    login_as(Role.HUB_WORKER, body=hub)
    for _ in range(25):
        make_case(name_reading="オナジ ヨミ")
    with django_assert_max_num_queries(14):
        response = client.post(reverse("cases:case_search"), {"reading": "オナジヨミ"})
    assert len(response.context["results"]) == 25
    assert not any(row["visible"] for row in response.context["results"])
