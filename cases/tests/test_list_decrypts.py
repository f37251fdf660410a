"""Lists show numbers, dates and states: they decrypt nothing, however many cases and referrals they list."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import fields, services
from cases.tests.test_referrals import LIFE, send
from registry.models import Person
from tests.factories.cases import make_case, make_hub_worker, make_plan_item

Role = Person.Role


@pytest.fixture
def decrypts(monkeypatch):
    calls = []
    real = fields.decrypt
    monkeypatch.setattr(fields, "decrypt", lambda token: calls.append(1) or real(token))
    return calls


def _open_case_with_everything(worker, seikatsu):
    past = timezone.localdate() - datetime.timedelta(days=3)
    case = make_case(
        lead=worker,
        name="秘密 花子",
        phone="090-0000-0000",
        address_protection=True,
        address_protection_until=timezone.localdate() + datetime.timedelta(days=10),
    )
    item = make_plan_item(case, body=seikatsu, by=worker.user)
    services.plan_item_update(item=item, data={"due_on": past, "detail": "同行"}, by=worker.user)
    services.follow_up_add(case=case, data={"due_on": past, "purpose": "電話で様子を確認"}, by=worker.user)
    return case, item


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name,role", [("cases:worker_home", Role.HUB_WORKER), ("cases:supervisor_home", Role.HUB_SUPERVISOR)]
)
def test_dashboards_decrypt_nothing(client, login_as, hub, seikatsu, decrypts, url_name, role):
    person = login_as(role, body=hub)
    worker = person if role == Role.HUB_WORKER else make_hub_worker()
    for _ in range(3):
        _open_case_with_everything(worker, seikatsu)
    decrypts.clear()
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert response.context["case_count"] == 3
    assert len(response.context["overdue_items"]) == 3 and len(response.context["due_follow_ups"]) == 3
    assert decrypts == []


@pytest.mark.django_db
def test_referral_inbox_decrypts_nothing(client, login_as, seikatsu, decrypts):
    worker = make_hub_worker()
    for _ in range(3):
        case, item = _open_case_with_everything(worker, seikatsu)
        send(item, seikatsu, worker, ["name"], legal_basis="life_or_body", legal_basis_note=LIFE)
    login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
    decrypts.clear()
    response = client.get(reverse("cases:referral_inbox"))
    assert len(response.context["open"]) == 3
    assert decrypts == []
