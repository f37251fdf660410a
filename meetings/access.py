"""Who may see which meeting; every meetings view fetches through here (docs/access.md).

Levels: `manage` (the organiser side: the secretariat for Art. 7/8; the hub for Art. 9 — the supervisor
all, a worker those they organise or whose cases they may see), `read` (a person of an invited body;
for Art. 7 every member once the minutes are final), `metadata` (the secretariat on an Art. 9 meeting:
that it took place, its date and the bodies invited — nothing else).

Audit scope: Art. 7/8 rows are on the network side (AccessLog.Scope.NETWORK); everything about an
Art. 9 meeting is on the case side (Scope.CASE), where the hub supervisor audits it.
"""

import datetime
from typing import NamedTuple

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from audit.models import AccessLog
from audit.services import access_log, client_ip, refuse
from meetings.models import (
    AgendaItem,
    Correction,
    DutyConfirmation,
    FollowUpAction,
    Invitation,
    Material,
    Meeting,
    Minutes,
    ReviewSheet,
)
from registry.models import Person
from registry.roles import (
    CASE_MEETING_ORGANISER_ROLES,
    MEETING_ORGANISER_ROLES,
    MEETING_ROLES,
    NO_CASE_ROLES,
    current_person,
    has_role,
)

Role = Person.Role
Basis = AccessLog.Basis
Action = AccessLog.Action
Kind = Meeting.Kind
MANAGE, READ, METADATA = "manage", "read", "metadata"


class MeetingGrant(NamedTuple):
    """A meeting and what the user may do with it; templates display these flags, never decide."""

    meeting: Meeting
    level: str
    basis: str
    person: Person
    invitation: Invitation | None
    is_attendee: bool

    @property
    def can_manage(self) -> bool:
        return self.level == MANAGE

    @property
    def metadata_only(self) -> bool:
        return self.level == METADATA

    @property
    def can_answer(self) -> bool:
        return self.invitation is not None and not self.meeting.is_cancelled

    @property
    def can_approve(self) -> bool:
        """The organiser side, or the chair (who may be a member of any invited body)."""
        return self.can_manage or (self.level == READ and self.meeting.chair_id == self.person.pk)

    @property
    def can_see_minutes(self) -> bool:
        return minutes_visible(self)

    @property
    def can_propose_corrections(self) -> bool:
        return self.is_attendee and self.meeting.minutes.status == Minutes.Status.CIRCULATED


def scope_of(meeting: Meeting | None) -> str:
    if meeting is not None and meeting.is_case_review:
        return AccessLog.Scope.CASE
    return AccessLog.Scope.NETWORK


def _case_q_for_hub(user) -> Q:
    """Art. 9 meetings whose agenda holds a case the hub worker may see in the case file."""
    from cases.access import visible_cases

    return Q(pk__in=AgendaItem.objects.filter(case__in=visible_cases(user).values("pk")).values("meeting_id"))


def _hidden_case_meetings(user) -> Q:
    """Art. 9 meetings with a case the hub worker may not see in the case file (any more)."""
    from cases.access import visible_cases

    visible = visible_cases(user).values("pk")
    return Q(pk__in=AgendaItem.objects.filter(case__isnull=False).exclude(case__in=visible).values("meeting_id")) | Q(
        pk__in=ReviewSheet.objects.exclude(case__in=visible).values("meeting_id")
    )


def _has_hidden_case(user, meeting: Meeting) -> bool:
    """A hub worker manages an Art. 9 meeting only while every case on it is theirs to see: the organiser who
    loses a case (reassigned, transferred) keeps no case-review access through the meeting. The supervisor's
    access does not depend on this (supervision covers every case)."""
    return Meeting.objects.filter(_hidden_case_meetings(user), pk=meeting.pk).exists()


def visible_meetings(user):
    """The meetings the user's list shows (the secretariat's Art. 9 rows show metadata only)."""
    person = current_person(user)
    if person is None or person.role not in MEETING_ROLES:
        return Meeting.objects.none()
    if person.role in MEETING_ORGANISER_ROLES:
        return Meeting.objects.all()
    invited = Q(pk__in=Invitation.objects.filter(body_id=person.body_id).values("meeting_id"))
    final_art7 = Q(kind=Kind.REPRESENTATIVES, minutes__status=Minutes.Status.LOCKED)
    q = invited | final_art7
    if person.role == Role.HUB_SUPERVISOR:
        q |= Q(kind=Kind.CASE_REVIEW)
    elif person.role in CASE_MEETING_ORGANISER_ROLES:
        q |= Q(kind=Kind.CASE_REVIEW) & (Q(organiser=person) | _case_q_for_hub(user)) & ~_hidden_case_meetings(user)
    return Meeting.objects.filter(q)


def meeting_level(user, person: Person | None, meeting: Meeting) -> tuple[str, str] | None:
    """(level, basis) of `person` on `meeting`, or None outside scope."""
    if person is None or person.role not in MEETING_ROLES:
        return None
    invited = meeting.invitations.filter(body_id=person.body_id).exists()
    if not meeting.is_case_review:
        if person.role in MEETING_ORGANISER_ROLES:
            return MANAGE, Basis.ROLE
        if invited:
            return READ, Basis.ROLE
        if meeting.kind == Kind.REPRESENTATIVES and meeting.minutes.status == Minutes.Status.LOCKED:
            return READ, Basis.ROLE
        return None
    if person.role == Role.SECRETARIAT:
        return METADATA, Basis.ROLE
    if person.role == Role.HUB_SUPERVISOR:
        return MANAGE, Basis.SUPERVISION
    if person.role in CASE_MEETING_ORGANISER_ROLES and not _has_hidden_case(user, meeting):
        if meeting.organiser_id == person.pk:
            return MANAGE, Basis.ROLE
        if Meeting.objects.filter(_case_q_for_hub(user), pk=meeting.pk).exists():
            return MANAGE, Basis.ASSIGNMENT
    if invited:
        return READ, Basis.MEETING
    return None


def minutes_visible(grant: "MeetingGrant") -> bool:
    """Art. 7 minutes once final to every member, Art. 8 to the invited bodies, Art. 9 to its attendees and the
    hub; a draft to the organiser side only, circulated minutes also to the attendees who confirm them."""
    status = grant.meeting.minutes.status
    if grant.can_manage:
        return True
    if grant.metadata_only:
        return False
    if status == Minutes.Status.LOCKED:
        return not grant.meeting.is_case_review or grant.is_attendee
    return status == Minutes.Status.CIRCULATED and grant.is_attendee


def sheets_readable(grant: "MeetingGrant") -> bool:
    """Whether the case-review sheets (and materials) of an Art. 9 meeting open to this user now: the hub side that
    manages it, or a named attendee of a role that may hold a case basis, within the meeting basis's window."""
    if not grant.meeting.is_case_review or grant.metadata_only:
        return False
    if grant.can_manage:
        return True
    return grant.person.role not in NO_CASE_ROLES and grant.meeting.pk in review_meeting_ids(grant.person)


# --- logging ------------------------------------------------------------------------------------------------


def _action(request) -> str:
    return Action.CHANGE if request.method == "POST" else Action.VIEW


def _refuse(request, *, meeting=None, status=404, action, object_type="meetings.meeting", object_id="", basis=""):
    refuse(
        request,
        status=status,
        action=action,
        scope=scope_of(meeting),
        object_type=object_type,
        object_id=str(object_id),
        basis=basis or Basis.NONE,
    )


def _allow(request, grant: MeetingGrant, *, action, obj=None, reason: str = "") -> None:
    access_log(
        request=request,
        action=action,
        scope=scope_of(grant.meeting),
        obj=obj or grant.meeting,
        basis=grant.basis,
        reason=reason,
    )


def require_meeting_role(request, roles: frozenset[str], *, action: str = Action.LIST) -> Person:
    """A meetings page for `roles` only: anyone else gets 403, logged on the network side."""
    person = current_person(request.user)
    if person is None or person.role not in roles:
        _refuse(request, status=403, action=action)
    return person


def published_meetings():
    """Meetings whose minutes are published: Art. 7/8 only, never a case-review meeting."""
    return (
        Meeting.objects.filter(minutes__published_at__isnull=False)
        .exclude(kind=Kind.CASE_REVIEW)
        .select_related("minutes")
    )


def get_published_meeting(request, uuid) -> Meeting:
    """The public page's meeting: published Art. 7/8 minutes only. Anything else (unknown, unpublished, Art. 9)
    is a denied row and 404; the download helper writes the allowed row with the file."""
    meeting = published_meetings().filter(uuid=uuid).first()
    if meeting is None:
        refuse(
            request,
            status=404,
            action=Action.PDF,
            scope=AccessLog.Scope.NETWORK,
            object_type="meetings.meeting",
            object_id=str(uuid),
            reason="公開会議録",
        )
    return meeting


def log_list(request, *, reason: str = "") -> None:
    access_log(
        request=request,
        action=Action.LIST,
        scope=AccessLog.Scope.NETWORK,
        object_type="meetings.meeting",
        basis=Basis.ROLE,
        reason=reason,
    )


# --- meetings -----------------------------------------------------------------------------------------------


def _resolve(request, uuid, *, action: str) -> MeetingGrant:
    meeting = Meeting.objects.select_related("organiser__body", "chair__body", "minutes").filter(uuid=uuid).first()
    person = current_person(request.user)
    found = meeting_level(request.user, person, meeting) if meeting is not None else None
    if found is None:
        _refuse(request, meeting=meeting, action=action, object_id=uuid)
    level, basis = found
    invitation = meeting.invitations.filter(body_id=person.body_id).first() if level != METADATA else None
    attendee = level != METADATA and meeting.attendees.filter(person=person, withdrawn=False).exists()
    return MeetingGrant(meeting, level, basis, person, invitation, attendee)


def get_meeting_for_user(request, uuid, *, action: str | None = None) -> MeetingGrant:
    """Read: the meeting at the user's level; outside scope a denied row and 404."""
    action = action or _action(request)
    grant = _resolve(request, uuid, action=action)
    _allow(request, grant, action=action)
    return grant


def get_rw_meeting_for_user(request, uuid) -> MeetingGrant:
    """Write (schedule, invitations, agenda, attendance, minutes): the organiser side only; a reader gets 403."""
    action = _action(request)
    grant = _resolve(request, uuid, action=action)
    if not grant.can_manage:
        _refuse(request, meeting=grant.meeting, status=403, action=action, object_id=uuid, basis=grant.basis)
    _allow(request, grant, action=action)
    return grant


def get_meeting_for_approval(request, uuid) -> MeetingGrant:
    """Approving the minutes: the organiser side or the meeting's chair; another reader gets 403."""
    action = _action(request)
    grant = _resolve(request, uuid, action=action)
    if not grant.can_approve:
        _refuse(request, meeting=grant.meeting, status=403, action=action, object_id=uuid, basis=grant.basis)
    _allow(request, grant, action=action)
    return grant


def get_invitation_for_user(request, uuid) -> tuple[MeetingGrant, Invitation]:
    """Answering for one's body: the invitation must be to the user's own body, else 404."""
    action = _action(request)
    invitation = Invitation.objects.select_related("meeting", "body").filter(uuid=uuid).first()
    person = current_person(request.user)
    meeting = invitation.meeting if invitation else None
    if invitation is None or person is None or person.body_id != invitation.body_id or person.role not in MEETING_ROLES:
        _refuse(request, meeting=meeting, action=action, object_type="meetings.invitation", object_id=uuid)
    grant = _resolve(request, meeting.uuid, action=action)
    access_log(
        request=request, action=action, scope=scope_of(meeting), obj=invitation, basis=grant.basis, reason="出欠の回答"
    )
    return grant, invitation


def get_meeting_for_duty(request, uuid) -> MeetingGrant:
    """The Art. 10 confirmation page of an Art. 9 meeting: only for those whose sheets it opens (not the organiser
    side, which needs none); anyone else who sees the meeting gets 403, the rest 404."""
    action = _action(request)
    grant = _resolve(request, uuid, action=action)
    if not grant.meeting.is_case_review:
        _refuse(request, meeting=grant.meeting, action=action, object_id=uuid, basis=grant.basis)
    if grant.can_manage or not sheets_readable(grant):
        _refuse(request, meeting=grant.meeting, status=403, action=action, object_id=uuid, basis=grant.basis)
    _allow(request, grant, action=action, reason="守秘義務の確認")
    return grant


def get_rw_agenda_item_for_user(request, uuid, pk) -> tuple[MeetingGrant, AgendaItem]:
    """An agenda item of a meeting the user manages; an item of another meeting is 404 (logged)."""
    action = _action(request)
    grant = _resolve(request, uuid, action=action)
    item = grant.meeting.agenda_items.filter(pk=pk).first() if isinstance(pk, int) else None
    if item is None:
        _refuse(request, meeting=grant.meeting, action=action, object_type="meetings.agendaitem", object_id=pk)
    if not grant.can_manage:
        _refuse(
            request, meeting=grant.meeting, status=403, action=action, object_type="meetings.agendaitem", object_id=pk
        )
    _allow(request, grant, action=action, obj=item)
    return grant, item


def get_agenda_item_for_attendee(request, uuid, pk) -> tuple[MeetingGrant, AgendaItem]:
    """Proposing a correction: an attendee of circulated minutes; others who see the meeting get 403."""
    action = _action(request)
    grant = _resolve(request, uuid, action=action)
    item = grant.meeting.agenda_items.filter(pk=pk).first() if isinstance(pk, int) else None
    if item is None:
        _refuse(request, meeting=grant.meeting, action=action, object_type="meetings.agendaitem", object_id=pk)
    if not grant.can_propose_corrections:
        _refuse(
            request, meeting=grant.meeting, status=403, action=action, object_type="meetings.agendaitem", object_id=pk
        )
    _allow(request, grant, action=action, obj=item)
    return grant, item


def get_meeting_for_attendee(request, uuid) -> MeetingGrant:
    """Confirming circulated minutes: an attendee of the meeting; others who see it get 403."""
    action = _action(request)
    grant = _resolve(request, uuid, action=action)
    if not grant.can_propose_corrections:
        _refuse(request, meeting=grant.meeting, status=403, action=action, object_id=uuid, basis=grant.basis)
    _allow(request, grant, action=action, reason="会議録（案）の確認")
    return grant


def get_rw_correction_for_user(request, uuid) -> tuple[MeetingGrant, Correction]:
    action = _action(request)
    correction = Correction.objects.select_related("agenda_item__meeting").filter(uuid=uuid).first()
    if correction is None:
        _refuse(request, action=action, object_type="meetings.correction", object_id=uuid)
    meeting = correction.agenda_item.meeting
    grant = _resolve(request, meeting.uuid, action=action)
    if not grant.can_manage:
        _refuse(request, meeting=meeting, status=403, action=action, object_type="meetings.correction", object_id=uuid)
    _allow(request, grant, action=action, obj=correction)
    return grant, correction


def get_minutes_pdf_for_user(request, uuid) -> MeetingGrant:
    """The minutes PDF: whoever may see the minutes, once they are locked. The download helper writes the row."""
    grant = _resolve(request, uuid, action=Action.PDF)
    if not grant.can_see_minutes:
        _refuse(request, meeting=grant.meeting, status=403, action=Action.PDF, object_id=uuid, basis=grant.basis)
    if grant.meeting.minutes.status != Minutes.Status.LOCKED:
        _refuse(request, meeting=grant.meeting, action=Action.PDF, object_id=uuid, basis=grant.basis)
    return grant


def get_action_for_body(request, pk) -> FollowUpAction:
    """A follow-up action of the user's own body (they mark it done); anyone else's is 404."""
    action_row = FollowUpAction.objects.select_related("agenda_item__meeting").filter(pk=pk).first()
    person = current_person(request.user)
    meeting = action_row.agenda_item.meeting if action_row else None
    if action_row is None or person is None or person.role not in MEETING_ROLES or action_row.body_id != person.body_id:
        _refuse(request, meeting=meeting, action=Action.CHANGE, object_type="meetings.followupaction", object_id=pk)
    access_log(request=request, action=Action.CHANGE, scope=scope_of(meeting), obj=action_row, basis=Basis.ROLE)
    return action_row


# --- the meeting basis of cases/access.py (Art. 9 review sheets) ----------------------------------------------


def review_meeting_ids(person: Person, *, now: datetime.datetime | None = None) -> list[int]:
    """The Art. 9 meetings whose review sheets `person` may read now: their body answered the invitation by
    naming them as an attendee (an unanswered invitation gives nobody access: need-to-know is the people named,
    not everyone of an invited body), the invitations are out, and the meeting ended less than
    MEETING_CASE_ACCESS_HOURS ago. Access ends by itself: nothing has to be revoked. A person who has left holds
    no basis at all (cases.access asks current_person first)."""
    now = now or timezone.now()
    window = datetime.timedelta(hours=settings.MEETING_CASE_ACCESS_HOURS)
    earliest_day = timezone.localtime(now - window).date() - datetime.timedelta(days=1)
    rows = Meeting.objects.filter(
        kind=Kind.CASE_REVIEW,
        status=Meeting.Status.PLANNED,
        invitations_sent_at__lte=now,
        date__gte=earliest_day,
        invitations__body_id=person.body_id,
        invitations__status=Invitation.Status.ATTENDING,
    ).values_list("pk", "date", "end_time")
    named = set(
        person.meeting_attendances.filter(withdrawn=False, meeting__kind=Kind.CASE_REVIEW).values_list(
            "meeting_id", flat=True
        )
    )
    ids = []
    for pk, day, end_time in rows:
        ends_at = timezone.make_aware(datetime.datetime.combine(day, end_time))
        if now > ends_at + window or pk not in named:
            continue
        ids.append(pk)
    return ids


def meeting_basis_provider(person: Person, scope: str):
    """cases.access provider: (MEETING, the cases with a review sheet on a meeting of review_meeting_ids), in the
    case-review scope only — never the case file. It only reads: MEETING is not in cases.access.WRITE_BASES."""
    from cases.access import Scope

    if scope != Scope.CASE_REVIEW:
        return None
    ids = review_meeting_ids(person)
    if not ids:
        return None
    return Basis.MEETING, Q(pk__in=ReviewSheet.objects.filter(meeting_id__in=ids).values("case_id"))


def _case_fields(case) -> dict:
    return {"object_label": case.number, "case_ref": str(case.uuid)}


def get_review_sheet_for_user(request, uuid) -> tuple[ReviewSheet, bool]:
    """(sheet, needs the Art. 10 confirmation first). The hub side of the meeting reads it on its meeting basis;
    an attendee through cases.access in the case-review scope (the meeting basis, its window, membership).
    Every outcome is one row on the case side; a read waiting for the confirmation writes none yet."""
    from cases.access import Scope, case_basis, log_case

    sheet = ReviewSheet.objects.select_related("meeting", "case").filter(uuid=uuid).first()
    person = current_person(request.user)
    found = meeting_level(request.user, person, sheet.meeting) if sheet is not None else None

    def deny(status=404, basis=""):
        refuse(
            request,
            status=status,
            action=Action.VIEW,
            scope=AccessLog.Scope.CASE,
            object_type="meetings.reviewsheet",
            object_id=str(uuid),
            basis=basis or Basis.NONE,
            **(_case_fields(sheet.case) if sheet is not None else {}),
        )

    if found is None or found[0] == METADATA:
        deny()
    level, basis = found
    if level == MANAGE:
        access_log(
            request=request,
            action=Action.VIEW,
            scope=AccessLog.Scope.CASE,
            obj=sheet,
            basis=basis,
            reason=f"ケース検討シート（{sheet.meeting.title}）",
            **_case_fields(sheet.case),
        )
        return sheet, False
    if sheet.meeting_id not in review_meeting_ids(person):
        deny()
    basis = case_basis(request.user, sheet.case, Scope.CASE_REVIEW)
    if basis is None:
        deny()
    if not DutyConfirmation.objects.filter(meeting=sheet.meeting, person=person).exists():
        return sheet, True
    log_case(request, sheet.case, basis=basis, action=Action.VIEW, reason=f"ケース検討シート（{sheet.meeting.title}）")
    return sheet, False


# --- materials, decisions, the calendar feed ----------------------------------------------------------------


def get_material_for_user(request, uuid) -> tuple[MeetingGrant | None, Material | None]:
    """A material of an agenda item: the organiser side, and readers of the meeting; of an Art. 9 meeting only the
    invited attendees within the meeting basis's window, after their Art. 10 confirmation ((grant, None) until
    then). Writes only refusals: the download helper writes the allowed row with the file."""
    material = Material.objects.select_related("agenda_item__meeting", "agenda_item__case").filter(uuid=uuid).first()
    meeting = material.agenda_item.meeting if material else None
    person = current_person(request.user)
    found = meeting_level(request.user, person, meeting) if meeting is not None else None

    def deny(status=404):
        _refuse(
            request, meeting=meeting, status=status, action=Action.VIEW, object_type="meetings.material", object_id=uuid
        )

    if found is None or found[0] == METADATA:
        deny()
    level, basis = found
    grant = MeetingGrant(meeting, level, basis, person, None, False)
    if level == MANAGE or not meeting.is_case_review:
        return grant, material
    if meeting.pk not in review_meeting_ids(person):
        deny()
    if not DutyConfirmation.objects.filter(meeting=meeting, person=person).exists():
        return grant, None
    return grant, material


def get_decision_for_hub(request, uuid, pk):
    """(grant, item) for turning an Art. 9 decision into a plan item. Writes no row: the caller then asks
    cases.access.get_rw_case_for_user for the case, whose row (or refusal) is the one of this request."""
    action = _action(request)
    grant = _resolve(request, uuid, action=action)
    item = grant.meeting.agenda_items.select_related("case").filter(pk=pk).first() if isinstance(pk, int) else None
    if item is None or item.case is None:
        _refuse(request, meeting=grant.meeting, action=action, object_type="meetings.agendaitem", object_id=pk)
    if not grant.can_manage:
        _refuse(
            request, meeting=grant.meeting, status=403, action=action, object_type="meetings.agendaitem", object_id=pk
        )
    return grant, item


def get_calendar_feed(request, token: str):
    """The person of an active feed token while they are current; else 404. Every fetch is logged."""
    from meetings.models import CalendarToken

    found = (
        CalendarToken.objects.select_related("person__user", "person__body")
        .filter(token_hash=CalendarToken.hash_secret(token), revoked_at__isnull=True)
        .first()
    )
    person = found.person if found else None
    if person is None or not person.is_current:
        access_log(
            request=request,
            action=Action.LIST,
            scope=AccessLog.Scope.NETWORK,
            object_type="meetings.calendartoken",
            allowed=False,
            reason="カレンダー配信",
        )
        raise Http404
    # The fetch comes from a calendar program, not a session: the row names the feed's person (the view sets
    # no-store itself, since no request carries the logged mark).
    access_log(
        user=person.user,
        ip=client_ip(request),
        action=Action.LIST,
        scope=AccessLog.Scope.NETWORK,
        obj=found,
        object_id=str(found.pk),
        basis=Basis.ROLE,
        reason="カレンダー配信",
    )
    return person


def feed_meetings(person: Person):
    """The meetings the person's body is invited to, from a month back."""
    since = timezone.localdate() - datetime.timedelta(days=31)
    return Meeting.objects.filter(invitations__body_id=person.body_id, date__gte=since).order_by("date")


# --- navigation ---------------------------------------------------------------------------------------------


def can_organise(user) -> bool:
    return has_role(user, MEETING_ORGANISER_ROLES | CASE_MEETING_ORGANISER_ROLES)


def nav_items(user) -> list[tuple[str, str]]:
    """Menu entries of this app the user may use: (url name, label)."""
    if not has_role(user, MEETING_ROLES):
        return []
    return [("meetings:meeting_list", "会議")]
