"""A long case: the case page shows the newest timeline entries, the timeline page pages through all of them,
and each decrypts only the records it shows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLog
from cases import fields, selectors, services
from registry.models import Body, Person
from tests.factories.cases import make_case, make_plan_item

Role = Person.Role


@pytest.fixture
def decrypts(monkeypatch):
    calls = []
    real = fields.decrypt
    monkeypatch.setattr(fields, "decrypt", lambda token: calls.append(1) or real(token))
    return calls


def _long_case(worker, n):
    case = make_case(lead=worker)
    start = timezone.now() - datetime.timedelta(days=n)
    for i in range(n):
        services.consultation_record(
            case=case,
            data={"at": start + datetime.timedelta(days=i), "method": "visit", "content": f"相談の内容{i:03d}"},
            by=worker.user,
        )
    services.accompaniment_record(case=case, data={"on": timezone.localdate(), "destination": "市役所"}, by=worker.user)
    return case


@pytest.mark.django_db
class TestTimeline:
    def test_case_page_shows_the_newest_entries_and_links_to_all(self, client, login_as, hub, monkeypatch, decrypts):
        monkeypatch.setattr(selectors, "TIMELINE_ROWS", 5)
        worker = login_as(Role.HUB_WORKER, body=hub)
        case = _long_case(worker, 12)
        decrypts.clear()
        response = client.get(case.get_absolute_url())
        timeline = response.context["timeline"]
        assert len(timeline) == 5 and response.context["timeline_count"] == 14  # 12 + the accompaniment + opening
        # Consultations on the past days, the accompaniment today, the case opened (a stage entry) just now.
        assert [e.kind for e in timeline][-2:] == ["accompaniment", "stage"]
        assert [e.text for e in timeline if e.kind == "consultation"] == [f"相談の内容{i:03d}" for i in range(9, 12)]
        html = response.content.decode()
        assert "相談の内容008" not in html and "すべて表示（14件）" in html
        assert reverse("cases:case_timeline", args=[case.uuid]) in html
        with_five = len(decrypts)
        monkeypatch.setattr(selectors, "TIMELINE_ROWS", 10)
        decrypts.clear()
        client.get(case.get_absolute_url())
        assert len(decrypts) == with_five + 5  # one more consultation shown, one more decrypted

    def test_timeline_page_pages_oldest_first_with_a_fixed_query_count(
        self, client, login_as, hub, monkeypatch, django_assert_max_num_queries
    ):
        monkeypatch.setattr(selectors, "TIMELINE_PAGE_SIZE", 10)
        worker = login_as(Role.HUB_WORKER, body=hub)
        case = _long_case(worker, 25)
        url = reverse("cases:case_timeline", args=[case.uuid])
        with django_assert_max_num_queries(30), CaptureQueriesContext(connection) as few:
            first = client.get(url)
        entries = first.context["timeline"]
        assert first.context["page"].paginator.count == 27
        assert [e.at for e in entries] == sorted(e.at for e in entries) and len(entries) == 10
        last = client.get(url + "?page=3").context["timeline"]
        assert [e.kind for e in last][-2:] == ["accompaniment", "stage"] and len(last) == 7
        # The same queries for a case with records of one kind only.
        other = make_case(lead=worker)
        with CaptureQueriesContext(connection) as same:
            assert client.get(reverse("cases:case_timeline", args=[other.uuid])).status_code == 200
        assert len(same) == len(few)
        assert AccessLog.objects.filter(object_id=str(case.uuid), outcome=AccessLog.Outcome.ALLOWED).count() == 2

    def test_case_page_query_count_does_not_depend_on_the_case(self, client, login_as, hub):
        worker = login_as(Role.HUB_WORKER, body=hub)
        full = _long_case(worker, 3)
        make_plan_item(full, body=Body.objects.get(code="dept-seikatsu-shien"), by=worker.user)
        empty = make_case(lead=worker)
        counts = []
        for case in (full, empty):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(case.get_absolute_url()).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1]

    def test_summary_timeline_is_the_whole_case_in_order(self, hub, login_as):
        worker = login_as(Role.HUB_WORKER, body=hub)
        case = _long_case(worker, 4)
        entries = selectors.case_timeline(case)
        assert [e.kind for e in entries] == [*["consultation"] * 4, "accompaniment", "stage"]
        assert [e.at for e in entries] == sorted(e.at for e in entries)
