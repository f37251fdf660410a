"""Permission-matrix rows for every cases URL.

The kwargs lambdas create the objects on the fly. A case is opened by a fresh hub worker; when the
role under test is the hub worker, they are made its lead (the assignment basis), so "hub_worker"
means "the assigned worker". Every other role has no basis on that case: 404, never 403.
"""

from types import SimpleNamespace

from cases import services
from cases.models import CaseAssignment, FollowUp, Information, PacketField
from registry.models import Person
from tests.factories.registry import make_person
from tests.permission_matrix import AGENCY, DEPARTMENT, HUB, MEMBERS, SUPERVISOR, Row

HUB_ROLES = [HUB, SUPERVISOR]


def _opener(w: SimpleNamespace):
    return make_person(role=Person.Role.HUB_WORKER, body=w.hub).user


def _case(w: SimpleNamespace, *, assign_hub: bool = True):
    opener = _opener(w)
    case = services.case_open(by=opener, data={"name": "マトリクス 花子"})
    if assign_hub and w.role == HUB:
        CaseAssignment(case=case, person=w.people[HUB], is_lead=False, assigned_by=opener).save()
    w.case, w.opener = case, opener
    return case


def case_kwargs(w):
    return {"uuid": _case(w).uuid}


def unassigned_case_kwargs(w):
    return {"uuid": _case(w, assign_hub=False).uuid}


def _plan_item(w):
    case = _case(w)
    w.item = services.plan_item_add(
        case=case, data={"service": "livelihood_protection", "responsible_body": w.department}, by=w.opener
    )
    return w.item


def plan_item_kwargs(w):
    item = _plan_item(w)
    return {"uuid": item.case.uuid, "pk": item.pk}


def referral_kwargs(w):
    item = _plan_item(w)
    referral = services.referral_send(
        plan_item=item,
        to_body=w.department,
        fields=[PacketField.CATEGORIES],
        request="生活保護の申請について相談に乗ってください。",
        legal_basis="life_or_body",
        legal_basis_note="本人の生命に危険があり同意を得る時間がないため。",
        by=w.opener,
        access_basis="assignment",
    )
    return {"uuid": referral.uuid}


def consent_kwargs(w):
    import datetime

    case = _case(w)
    today = datetime.date.today()
    consent = services.consent_record(
        case=case,
        data={
            "body": w.department,
            "items": [PacketField.NAME],
            "purpose": "申請支援",
            "given_on": today,
            "valid_until": today + datetime.timedelta(days=30),
        },
        by=w.opener,
    )
    return {"uuid": case.uuid, "pk": consent.pk}


def follow_up_kwargs(w):
    import datetime

    case = _case(w)
    follow_up = FollowUp(case=case, due_on=datetime.date.today(), created_by=w.opener)
    follow_up.save()
    return {"uuid": case.uuid, "pk": follow_up.pk}


def information_kwargs(w):
    sender = make_person(role=Person.Role.BUSINESS_MEMBER, body=w.business)
    item = services.information_submit(
        by=sender.user,
        body=w.business,
        data={"observation": "来店時に顔にあざがあった。", "awareness": Information.Awareness.UNKNOWN},
    )
    w.information = item
    return {"uuid": item.uuid}


def own_receipt_kwargs(w):
    """The role's own submission (anonymous: someone else's, which it cannot reach anyway)."""
    person = w.people.get(w.role) or make_person(role=Person.Role.BUSINESS_MEMBER, body=w.business)
    item = services.information_submit(
        by=person.user, body=person.body, data={"observation": "気になる様子があった。", "awareness": "unknown"}
    )
    return {"uuid": item.uuid}


def link_data(w):
    return {"number": _case(w).number}


CASE_VIEW = {"ok": HUB_ROLES, "other": 404, "kwargs": case_kwargs}
CASE_POST = {"ok": HUB_ROLES, "other": 404, "kwargs": case_kwargs, "method": "post", "ok_status": 302}

MATRIX = {
    # Information: any member sends; only the sender sees the receipt; the hub triages.
    # The form (a send is a write with its own history, not a read).
    "cases:info_create": Row(ok=MEMBERS, logged=False),
    "cases:info_sent_list": Row(ok=MEMBERS),
    "cases:info_receipt": Row(ok=MEMBERS, other=404, kwargs=own_receipt_kwargs),
    "cases:intake_queue": Row(ok=HUB_ROLES),
    "cases:intake_detail": Row(ok=HUB_ROLES, other=404, kwargs=information_kwargs),
    "cases:intake_link": Row(
        ok=HUB_ROLES, other=404, kwargs=information_kwargs, method="post", ok_status=302, data=link_data
    ),
    "cases:intake_open_case": Row(ok=HUB_ROLES, other=404, kwargs=information_kwargs, method="post", ok_status=302),
    "cases:intake_no_case": Row(
        ok=HUB_ROLES,
        other=404,
        kwargs=information_kwargs,
        method="post",
        ok_status=302,
        data=lambda w: {"reason": "既に警察が対応済みのため。"},
    ),
    # Home screens
    "cases:worker_home": Row(ok=HUB_ROLES),
    "cases:supervisor_home": Row(ok=[SUPERVISOR]),
    "cases:open_case_list": Row(ok=HUB_ROLES),
    "cases:referral_inbox": Row(ok=[DEPARTMENT, AGENCY]),
    # The empty search form and the new-case form show nothing; a search POST logs every match.
    "cases:case_search": Row(ok=HUB_ROLES, logged=False),
    "cases:case_create": Row(ok=HUB_ROLES, logged=False),
    # The case file: hub roles with a basis; everyone else 404
    "cases:case_detail": Row(**CASE_VIEW),
    "cases:case_timeline": Row(**CASE_VIEW),
    "cases:case_update": Row(**CASE_VIEW),
    "cases:case_pdf": Row(**CASE_VIEW),
    "cases:case_stage": Row(**CASE_POST, data=lambda w: {"stage": "assessment"}),
    "cases:case_closure_request": Row(**CASE_POST, data=lambda w: {"reason": "自立して転居し、支援が終了したため。"}),
    # Only the supervisor decides and assigns: the assigned worker is refused (403), others 404.
    "cases:case_closure_decide": Row(
        ok=[SUPERVISOR],
        other=404,
        kwargs=case_kwargs,
        method="post",
        ok_status=302,
        data=lambda w: {"decision": "reject"},
        overrides={HUB: 403},
    ),
    "cases:case_reopen": Row(**CASE_POST, data=lambda w: {"reason": "再び相談があったため再開する。"}),
    "cases:case_assign": Row(ok=[SUPERVISOR], other=404, kwargs=case_kwargs, overrides={HUB: 403}),
    # Retention: the supervisor's purge schedule and legal holds (the assigned worker is refused, others 404).
    "cases:retention_list": Row(ok=[SUPERVISOR]),
    "cases:legal_hold_create": Row(ok=[SUPERVISOR], other=404, kwargs=case_kwargs, overrides={HUB: 403}),
    "cases:legal_hold_lift": Row(
        ok=[SUPERVISOR], other=404, kwargs=case_kwargs, method="post", ok_status=302, overrides={HUB: 403}
    ),
    # Break-glass: only a hub worker, on a case not assigned to them.
    "cases:case_break_glass": Row(ok=[HUB], other=404, kwargs=unassigned_case_kwargs),
    "cases:consultation_create": Row(**CASE_VIEW),
    "cases:assessment_create": Row(**CASE_VIEW),
    "cases:plan_item_create": Row(**CASE_VIEW),
    "cases:plan_item_update": Row(ok=HUB_ROLES, other=404, kwargs=plan_item_kwargs),
    "cases:referral_create": Row(ok=HUB_ROLES, other=404, kwargs=plan_item_kwargs),
    "cases:consent_create": Row(**CASE_VIEW),
    "cases:consent_withdraw": Row(ok=HUB_ROLES, other=404, kwargs=consent_kwargs, method="post", ok_status=302),
    "cases:accompaniment_create": Row(**CASE_VIEW),
    "cases:protection_create": Row(**CASE_VIEW),
    "cases:follow_up_create": Row(**CASE_VIEW),
    "cases:follow_up_done": Row(ok=HUB_ROLES, other=404, kwargs=follow_up_kwargs, method="post", ok_status=302),
    # A referral packet: the receiving department answers it; the hub reads it through the case (403 to act).
    "cases:referral_detail": Row(ok=[DEPARTMENT, *HUB_ROLES], other=404, kwargs=referral_kwargs),
    "cases:referral_acknowledge": Row(
        ok=[DEPARTMENT],
        other=404,
        kwargs=referral_kwargs,
        method="post",
        ok_status=302,
        overrides={HUB: 403, SUPERVISOR: 403},
    ),
    "cases:referral_return": Row(
        ok=[DEPARTMENT], other=404, kwargs=referral_kwargs, overrides={HUB: 403, SUPERVISOR: 403}
    ),
}
