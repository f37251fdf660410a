"""The retention purge on PostgreSQL: a case closed six years ago goes with its history and everything of it;
a held one stays; the tombstones and the kept facts hold no personal data; the year's figures do not change."""

import datetime
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from audit.models import AccessLog, SignInEvent, Tombstone
from cases import retention, services
from cases.models import (
    Accompaniment,
    Case,
    Consultation,
    Information,
    LegalHold,
    PlanItem,
    ProtectionStay,
    PurgedCaseFacts,
    Referral,
)
from cases.reports import case_year_figures, information_by_body_kind
from meetings import services as meeting_services
from meetings.models import AgendaItem, Meeting, ReviewSheet
from registry.models import Application, Body, Person
from registry.system import system_user
from tests.factories.cases import make_case, make_hub_worker, make_plan_item
from tests.factories.meetings import make_agenda_item, make_meeting
from tests.factories.registry import make_application, make_person

SENTINEL = "QZXSENTINEL"
TZ = timezone.get_current_timezone()
OPENED = datetime.datetime(2020, 6, 10, 10, 0, tzinfo=TZ)  # fiscal year 2020 (令和2年度)
CLOSED = datetime.datetime(2020, 11, 20, 15, 0, tzinfo=TZ)  # closed in FY 2020: purge from 2026-04-01
TODAY = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=TZ)


def _close(case, worker, supervisor):
    services.case_request_closure(case=case, reason="支援を終えたため終結します", by=worker.user)
    return services.case_decide_closure(case=case, approve=True, by=supervisor.user)


def _full_case(worker, supervisor, *, name):
    """A case with something in every table that hangs on it, opened in 2020 and closed the same year."""
    dept = Body.objects.get(code="dept-seikatsu-shien")
    with time_machine.travel(OPENED, tick=False):
        item = services.information_submit(
            by=worker.user,
            body=Body.objects.get(code="agency-yakuzaishikai"),
            data={"observation": SENTINEL, "awareness": "unknown"},
        )
        case = make_case(by=worker.user, name=name, address=f"上尾市{SENTINEL}", age=34, categories=["dv", "poverty"])
        services.information_link(item=item, case=case, by=worker.user)
        services.consultation_record(
            case=case,
            data={"at": OPENED + datetime.timedelta(days=2), "method": "visit", "content": SENTINEL},
            by=worker.user,
        )
        services.consultation_record(
            case=case,
            data={"at": OPENED + datetime.timedelta(days=40), "method": "phone", "content": SENTINEL},
            by=worker.user,
        )
        plan = make_plan_item(case, body=dept, by=worker.user)
        services.referral_send(
            plan_item=plan,
            to_body=dept,
            fields=["name"],
            request=SENTINEL,
            legal_basis="life_or_body",
            legal_basis_note="生命の危険があり急を要するため",
            by=worker.user,
            access_basis="assignment",
        )
        services.accompaniment_record(case=case, data={"on": OPENED.date(), "destination": SENTINEL}, by=worker.user)
        services.protection_stay_record(
            case=case,
            data={"kind": "private_shelter", "started_on": OPENED.date(), "notes": SENTINEL},
            by=worker.user,
        )
        meeting = make_meeting(kind=Meeting.Kind.CASE_REVIEW, organiser=worker)
        agenda = make_agenda_item(meeting, title="ケースの検討", case=case)
        meeting_services.review_sheet_prepare(meeting=meeting, case=case, fields=["name"], by=worker.user)
    with time_machine.travel(CLOSED, tick=False):
        _close(case, worker, supervisor)
    return case, meeting, agenda


@pytest.fixture
def people(bodies):
    worker = make_hub_worker()
    supervisor = make_person(role=Person.Role.HUB_SUPERVISOR, body=Body.objects.get(code="hub"))
    return worker, supervisor


def _history_ids(model, ids):
    return list(model.history.model.objects.filter(id__in=ids).values_list("history_id", flat=True))


@pytest.mark.django_db
def test_a_case_closed_six_years_ago_is_purged_with_its_history_and_a_held_one_is_not(people):
    worker, supervisor = people
    case, meeting, agenda = _full_case(worker, supervisor, name=f"{SENTINEL} 花子")
    held, _m, _a = _full_case(worker, supervisor, name="保留 花子")
    services.legal_hold_place(
        case=held, reason="係争中の訴訟に対応するため", until=datetime.date(2027, 12, 31), by=supervisor.user
    )
    consultation_ids = list(Consultation.objects.filter(case=case).values_list("pk", flat=True))
    info_id = Information.objects.get(case=case).pk
    before = case_year_figures(2020)
    information_before = information_by_body_kind(2020)
    assert before == {
        "opened": 2,
        "closed": 2,
        "by_category": {"dv": 2, "poverty": 2},
        "by_risk": {"medium": 2},
        "by_age_band": {"3": 2},
        "consultations_by_method": {"visit": 2, "phone": 2},
        "referrals_by_body_kind": {"department": 2},
        "accompaniments": 2,
        "protections_by_kind": {"private_shelter": 2},
    }

    with time_machine.travel(TODAY, tick=False):
        dry = io.StringIO()
        call_command("purge_expired", "--dry-run", stdout=dry)
        assert case.number in dry.getvalue() and held.number not in dry.getvalue()
        assert Case.objects.filter(pk=case.pk).exists()  # a dry run changes nothing
        call_command("purge_expired", stdout=io.StringIO())

    assert not Case.objects.filter(pk=case.pk).exists()
    assert not Case.history.filter(id=case.pk).exists()
    assert not Consultation.objects.filter(pk__in=consultation_ids).exists()
    assert _history_ids(Consultation, consultation_ids) == []
    assert not Information.history.filter(id=info_id).exists()
    for model in (Referral, PlanItem, Accompaniment, ProtectionStay, ReviewSheet):
        assert not model.history.model.objects.filter(case_id=case.pk).exists(), model
    # The meeting stays; its agenda item no longer points at the case.
    agenda.refresh_from_db()
    assert agenda.case_id is None and Meeting.objects.filter(pk=meeting.pk).exists()
    # The held case and everything of it stays.
    assert Case.objects.filter(pk=held.pk).exists()
    assert Consultation.objects.filter(case=held).count() == 2
    # One tombstone for the case and one for its information item; the facts row replaces the live figures.
    assert Tombstone.objects.filter(kind="case", identifier=case.number, rule="終結年度末から5年").exists()
    assert Tombstone.objects.filter(kind="information").count() == 1
    assert PurgedCaseFacts.objects.count() == 1
    assert case_year_figures(2020) == before
    assert information_by_body_kind(2020).rows == information_before.rows
    assert dict(information_before.rows)["関係機関"] == [2]


@pytest.mark.django_db
def test_tombstones_and_facts_hold_no_personal_data(people):
    worker, supervisor = people
    case, _meeting, _agenda = _full_case(worker, supervisor, name=f"{SENTINEL} 花子")
    with time_machine.travel(TODAY, tick=False):
        retention.purge_expired(today=TODAY.date(), by=system_user())
    with connection.cursor() as cursor:
        for table in ("audit_tombstone", "cases_purgedcasefacts"):
            cursor.execute(f"SELECT t::text FROM {table} t")  # noqa: S608
            rows = [row[0] for row in cursor.fetchall()]
            assert rows, table
            assert not any(SENTINEL in row or "花子" in row or "上尾市" in row for row in rows), table
    facts = PurgedCaseFacts.objects.get()
    assert (facts.fiscal_year, facts.opened_month, facts.closed_month) == (2020, "2020-06", "2020-11")
    assert facts.age_band == "3" and facts.source_body_kind == "agency"
    assert facts.consultations == [["2020-06", "visit", 1], ["2020-07", "phone", 1]]
    assert facts.days_to_first_consultation == 2


@pytest.mark.django_db
def test_the_purge_date_counts_from_the_end_of_the_fiscal_year_of_closure(people):
    assert retention.case_purge_date(CLOSED) == datetime.date(2026, 4, 1)
    march = datetime.datetime(2021, 3, 31, 23, 0, tzinfo=TZ)  # still fiscal year 2020
    april = datetime.datetime(2021, 4, 1, 0, 30, tzinfo=TZ)  # fiscal year 2021
    assert retention.case_purge_date(march) == datetime.date(2026, 4, 1)
    assert retention.case_purge_date(april) == datetime.date(2027, 4, 1)
    worker, supervisor = people
    with time_machine.travel(april, tick=False):
        recent = make_case(by=worker.user)
        _close(recent, worker, supervisor)
    with time_machine.travel(TODAY, tick=False):
        assert recent not in retention.cases_due(TODAY.date())
        assert recent in retention.cases_due(TODAY.date(), within_days=121)
        upcoming = retention.upcoming_purges(TODAY.date(), days=121)
        assert [row.number for row in upcoming] == [recent.number]
        assert upcoming[0].due_on == datetime.date(2027, 4, 1)
        assert retention.upcoming_purges(TODAY.date(), days=90) == []


@pytest.mark.django_db
def test_an_open_case_is_never_purged_and_a_bare_closed_one_is(people):
    worker, supervisor = people
    with time_machine.travel(OPENED, tick=False):
        case = make_case(by=worker.user)
        bare = make_case(by=worker.user)
    with time_machine.travel(CLOSED, tick=False):
        _close(bare, worker, supervisor)
    with time_machine.travel(TODAY, tick=False):
        retention.purge_expired(today=TODAY.date(), by=system_user())
    assert Case.objects.filter(pk=case.pk).exists()
    assert not Case.objects.filter(pk=bare.pk).exists()
    with pytest.raises(ValidationError, match="終結していないケース"):
        retention.case_purge(case=case, by=system_user())
    assert Case.objects.filter(pk=case.pk).exists()
    facts = PurgedCaseFacts.objects.get()
    assert (facts.categories, facts.consultations, facts.age_band, facts.days_to_first_consultation) == (
        [],
        [],
        "",
        None,
    )


@pytest.mark.django_db
def test_a_lifted_or_expired_hold_no_longer_stops_the_purge(people):
    worker, supervisor = people
    case, _m, _a = _full_case(worker, supervisor, name="保留 花子")
    hold = services.legal_hold_place(
        case=case, reason="監査委員の調査に対応するため", until=datetime.date(2027, 1, 31), by=supervisor.user
    )
    with time_machine.travel(TODAY, tick=False):
        assert case not in retention.cases_due(TODAY.date())
        services.legal_hold_lift(hold=hold, by=supervisor.user)
        retention.purge_expired(today=TODAY.date(), by=system_user())
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not LegalHold.history.filter(case_id=case.pk).exists()


@pytest.mark.django_db
def test_information_applications_and_old_logs_are_purged_on_their_own_schedule(people):
    worker, _supervisor = people
    with time_machine.travel(datetime.datetime(2025, 6, 1, 10, 0, tzinfo=TZ), tick=False):
        old = services.information_submit(
            by=worker.user, body=worker.body, data={"observation": SENTINEL, "awareness": "unknown"}
        )
        services.information_no_case(item=old, reason="既に他機関が対応済み", by=worker.user)
        application = make_application(status=Application.Status.REJECTED, decided_at=timezone.now())
    with time_machine.travel(datetime.datetime(2026, 11, 1, 10, 0, tzinfo=TZ), tick=False):
        recent = services.information_submit(
            by=worker.user, body=worker.body, data={"observation": SENTINEL, "awareness": "unknown"}
        )
        services.information_no_case(item=recent, reason="既に他機関が対応済み", by=worker.user)
    SignInEvent.objects.create(kind="login", username="someone")
    with connection.cursor() as cursor:  # auto_now_add: an old row is written by SQL
        cursor.execute(
            "INSERT INTO audit_accesslog"
            " (at, action, object_type, object_id, object_label, case_ref, scope, basis, outcome, reason)"
            " VALUES (now() - interval '6 years', 'view', 'x', '1', '', '', 'network', 'none', 'allowed', '')"
        )
    fresh = AccessLog.objects.create(action="view", object_type="x", scope="network", outcome="allowed")
    counted = {fy: information_by_body_kind(fy).rows for fy in (2025, 2026)}
    report = retention.purge_expired(today=timezone.localdate(), by=system_user())
    assert {fy: information_by_body_kind(fy).rows for fy in (2025, 2026)} == counted
    assert report["information"] == [old.receipt_number]
    assert report["application"] == [application.reference]
    assert report["access_log"] == 1 and report["sign_in_event"] == 0
    assert not Information.history.filter(id=old.pk).exists()
    assert Information.objects.filter(pk=recent.pk).exists()
    assert not Application.history.filter(id=application.pk).exists()
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert Tombstone.objects.filter(kind="access_log", count=1).exists()


@pytest.mark.django_db
def test_every_relation_to_a_case_is_handled_by_the_purge():
    handled = {m for m in retention.CASE_CHILDREN} | {ReviewSheet, AgendaItem}
    related = {r.related_model for r in Case._meta.related_objects if not r.related_model.__name__.startswith("Hist")}
    assert related <= handled, related - handled
