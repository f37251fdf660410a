"""make_<model>(**overrides) factories for the cases tests."""

import datetime

from django.utils import timezone

from cases import services
from cases.models import Case, PacketField, PlanItem
from registry.models import Body, Person
from tests.factories.registry import make_person

Role = Person.Role


def hub_body() -> Body:
    return Body.objects.get(code="hub")


def make_hub_worker(**extra) -> Person:
    return make_person(role=Role.HUB_WORKER, body=hub_body(), **extra)


def make_case(*, by=None, lead: Person | None = None, **data) -> Case:
    """A case opened by `by` (default: a new hub worker, who becomes its lead)."""
    if by is None:
        by = (lead or make_hub_worker()).user
    case = services.case_open(by=by, data=data)
    if lead is not None and lead.user != by:
        from cases.models import CaseAssignment

        for opener_assignment in case.assignments.filter(ended_at__isnull=True):
            opener_assignment.ended_at = timezone.now()
            opener_assignment.save()
        CaseAssignment(case=case, person=lead, is_lead=True, assigned_by=by).save()
    return case


def make_plan_item(case: Case, *, body: Body, by, service="livelihood_protection") -> PlanItem:
    return services.plan_item_add(
        case=case, data={"service": service, "responsible_body": body, "detail": "", "due_on": None}, by=by
    )


def make_consent(case: Case, *, body: Body, by, items=None, days=180):
    today = timezone.localdate()
    return services.consent_record(
        case=case,
        data={
            "body": body,
            "items": items or [PacketField.NAME, PacketField.PHONE, PacketField.CATEGORIES],
            "purpose": "生活保護の申請支援",
            "given_on": today,
            "valid_until": today + datetime.timedelta(days=days),
        },
        by=by,
    )
