"""send_case_reminders: address protection 30 days before expiry, follow-ups on their date; once each."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from cases import services
from cases.models import Case, FollowUp
from registry.system import SYSTEM_USERNAME
from tests.factories.cases import make_case, make_hub_worker

TODAY = datetime.date(2025, 1, 10)
NOON = datetime.datetime(2025, 1, 10, 12, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo"))


@pytest.fixture
def lead(bodies):
    worker = make_hub_worker()
    worker.user.email = "lead@example.org"
    worker.user.save()
    return worker


def _case(lead, days, **data):
    return make_case(
        lead=lead,
        name="通知 花子",
        address="上尾市平塚",
        address_protection=True,
        address_protection_until=TODAY + datetime.timedelta(days=days),
        **data,
    )


def run():
    with time_machine.travel(NOON, tick=False):
        call_command("send_case_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.django_db
def test_address_protection_reminder_fires_30_days_before_and_once(lead, django_capture_on_commit_callbacks):
    due = _case(lead, 30)
    _case(lead, 31)  # not yet
    with django_capture_on_commit_callbacks(execute=True):
        run()
    assert len(mail.outbox) == 1
    [message] = mail.outbox
    assert message.to == ["lead@example.org"]
    assert due.number in message.subject and due.get_absolute_url() in message.body
    for secret in ["通知 花子", "上尾市平塚"]:
        assert secret not in message.subject + message.body
    due.refresh_from_db()
    assert due.address_protection_reminded_for == due.address_protection_until
    record = due.history.get(history_change_reason="支援措置の期限前通知")
    assert record.history_user.username == SYSTEM_USERNAME
    with django_capture_on_commit_callbacks(execute=True):
        run()
    assert len(mail.outbox) == 1  # not twice


@pytest.mark.django_db
def test_a_renewed_expiry_is_reminded_again(lead, django_capture_on_commit_callbacks):
    case = _case(lead, 5)
    with django_capture_on_commit_callbacks(execute=True):
        run()
    case.refresh_from_db()
    services.case_update(
        case=case,
        data={"address_protection_until": TODAY + datetime.timedelta(days=20)},
        expected_version=case.version,
        by=lead.user,
    )
    with django_capture_on_commit_callbacks(execute=True):
        run()
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_closed_cases_and_cases_without_protection_are_not_reminded(lead, django_capture_on_commit_callbacks):
    make_case(lead=lead)
    with django_capture_on_commit_callbacks(execute=True):
        run()
    assert mail.outbox == []
    assert not Case.objects.filter(address_protection_reminded_for__isnull=False).exists()


@pytest.mark.django_db
def test_follow_up_reminder_on_its_date(lead, django_capture_on_commit_callbacks):
    case = make_case(lead=lead)
    due = services.follow_up_add(case=case, data={"due_on": TODAY, "purpose": "転居後の様子を確認"}, by=lead.user)
    services.follow_up_add(case=case, data={"due_on": TODAY + datetime.timedelta(days=1)}, by=lead.user)
    done = services.follow_up_add(case=case, data={"due_on": TODAY - datetime.timedelta(days=1)}, by=lead.user)
    services.follow_up_complete(follow_up=done, result="", by=lead.user)
    with django_capture_on_commit_callbacks(execute=True):
        run()
    [message] = mail.outbox
    assert case.number in message.subject and "転居後" not in message.body
    assert FollowUp.objects.get(pk=due.pk).reminded_on == TODAY
    with django_capture_on_commit_callbacks(execute=True):
        run()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_without_a_lead_the_supervisors_are_told(bodies, django_capture_on_commit_callbacks):
    from registry.models import Body, Person
    from tests.factories.registry import make_person

    supervisor = make_person(role=Person.Role.HUB_SUPERVISOR, body=Body.objects.get(code="hub"))
    supervisor.user.email = "boss@example.org"
    supervisor.user.save()
    services.case_open(
        by=supervisor.user,
        data={"address_protection": True, "address_protection_until": TODAY + datetime.timedelta(days=1)},
    )
    with django_capture_on_commit_callbacks(execute=True):
        run()
    assert [m.to for m in mail.outbox] == [["boss@example.org"]]
