"""Writes of the meetings app. Each function runs in one transaction, leaves history naming `by`, and
raises ValidationError with a Japanese message. Mail and the minutes PDF go out after commit."""

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from ageo_network.history import save_tracked
from ageo_network.uploads import private_storage
from meetings import emails
from meetings.models import (
    AgendaItem,
    Attendee,
    Correction,
    Erratum,
    FollowUpAction,
    Invitation,
    Meeting,
    MeetingCounter,
    Minutes,
    ReviewSheet,
)
from registry.models import Body, Person
from registry.roles import CASE_MEETING_ORGANISER_ROLES, MEETING_ORGANISER_ROLES, MEETING_ROLES

Kind = Meeting.Kind
LOCKED_MESSAGE = "承認された会議録は変更できません。変更が必要なときは訂正として記録してください。"
SCHEDULE_FIELDS = ["date", "start_time", "end_time", "place", "online_url"]
MEETING_FIELDS = [*SCHEDULE_FIELDS, "chair", "answer_by", "next_meeting"]


def organiser_roles(kind: str) -> frozenset[str]:
    """Art. 7/8 are organised by the secretariat, Art. 9 by the hub."""
    return CASE_MEETING_ORGANISER_ROLES if kind == Kind.CASE_REVIEW else MEETING_ORGANISER_ROLES


def organiser_kinds(role: str) -> list[str]:
    return [kind for kind in Kind.values if role in organiser_roles(kind)]


def _next_number(kind: str, fy: int, *, by) -> int:
    """The next 第N回 of `kind` in fiscal year `fy`, under a row lock: unique under concurrency."""
    counter = MeetingCounter.objects.select_for_update().filter(kind=kind, fiscal_year=fy).first()
    if counter is None:
        try:
            with transaction.atomic():
                save_tracked(MeetingCounter(kind=kind, fiscal_year=fy, last=0), by=by)
        except IntegrityError:
            pass  # another transaction created the row first; lock it below
        counter = MeetingCounter.objects.select_for_update().get(kind=kind, fiscal_year=fy)
    counter.last += 1
    save_tracked(counter, by=by, update_fields=["last"])
    return counter.last


def invitee_people(meeting: Meeting, bodies=None):
    """The current people of the invited bodies (or of `bodies`) who receive meeting mail."""
    if bodies is None:
        bodies = Body.objects.filter(meeting_invitations__meeting=meeting)
    return (
        Person.objects.current()
        .filter(body__in=bodies, role__in=MEETING_ROLES)
        .exclude(user__email="")
        .select_related("user")
    )


def _attendee_people(meeting: Meeting):
    return (
        Person.objects.current()
        .filter(meeting_attendances__meeting=meeting, meeting_attendances__withdrawn=False)
        .select_related("user")
    )


# --- scheduling ----------------------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(*, kind: str, data: dict, organiser: Person, by) -> Meeting:
    if organiser.role not in organiser_roles(kind):
        raise ValidationError("この種類の会議を主催する役割ではありません。")
    fy = Meeting.fiscal_year_of(data["date"])
    meeting = Meeting(kind=kind, organiser=organiser, fiscal_year=fy, number=0, **data)
    meeting.full_clean(exclude=["number"])
    meeting.number = _next_number(kind, fy, by=by)
    save_tracked(meeting, by=by)
    save_tracked(Minutes(meeting=meeting), by=by)
    return meeting


def _minutes(meeting: Meeting) -> Minutes:
    # Always from the database: a Meeting instance may carry a stale cached `minutes`.
    return Minutes.objects.get(meeting_id=meeting.pk)


def _lock_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


@transaction.atomic
def meeting_update(*, meeting: Meeting, data: dict, by) -> Meeting:
    """Change date, time, place or chair. Once invitations are out, a change of schedule goes to every
    invited person with the same UID and a higher SEQUENCE."""
    meeting = _lock_meeting(meeting)
    if meeting.is_cancelled:
        raise ValidationError("中止した会議は変更できません。")
    if set(data) - set(MEETING_FIELDS):
        raise ValidationError("変更できない項目が含まれています。")
    if "date" in data and Meeting.fiscal_year_of(data["date"]) != meeting.fiscal_year:
        raise ValidationError("年度をまたぐ変更はできません。新しい会議として作成してください。")
    changed = [name for name, value in data.items() if getattr(meeting, name) != value]
    if not changed:
        return meeting
    for name in changed:
        setattr(meeting, name, data[name])
    schedule_changed = bool(set(changed) & set(SCHEDULE_FIELDS))
    if schedule_changed and meeting.invitations_sent_at:
        meeting.sequence += 1
        changed.append("sequence")
    save_tracked(meeting, by=by, update_fields=changed)
    if schedule_changed and meeting.invitations_sent_at:
        emails.meeting_changed(meeting, invitee_people(meeting))
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by) -> Meeting:
    meeting = _lock_meeting(meeting)
    if meeting.is_cancelled:
        raise ValidationError("この会議は既に中止になっています。")
    if _minutes(meeting).is_final:
        raise ValidationError("会議録が承認された会議は中止にできません。")
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    save_tracked(meeting, by=by, update_fields=["status", "sequence"])
    if meeting.invitations_sent_at:
        emails.meeting_cancelled(meeting, invitee_people(meeting))
    return meeting


# --- invitations -------------------------------------------------------------------------------------------


def default_bodies(meeting: Meeting):
    """Art. 7 invites every current body (registered businesses included); Art. 8 and 9 start from none."""
    if meeting.kind == Kind.REPRESENTATIVES:
        return Body.objects.active()
    return Body.objects.none()


@transaction.atomic
def invitations_send(*, meeting: Meeting, bodies, by) -> list[Invitation]:
    """Invite `bodies` (those not invited yet) and mail each of their current people the invitation."""
    meeting = _lock_meeting(meeting)
    if meeting.is_cancelled:
        raise ValidationError("中止した会議には招集できません。")
    already = set(meeting.invitations.values_list("body_id", flat=True))
    new_bodies = [body for body in bodies if body.pk not in already]
    if not new_bodies:
        raise ValidationError("新たに招集する機関を選んでください。")
    if any(not body.is_active for body in new_bodies):
        raise ValidationError("構成機関でない機関は招集できません。")
    invitations = [save_tracked(Invitation(meeting=meeting, body=body), by=by) for body in new_bodies]
    if meeting.invitations_sent_at is None:
        meeting.invitations_sent_at = timezone.now()
        save_tracked(meeting, by=by, update_fields=["invitations_sent_at"])
    emails.meeting_invitation(meeting, invitee_people(meeting, new_bodies))
    return invitations


@transaction.atomic
def invitation_answer(*, invitation: Invitation, attending: bool, people: list[Person], by) -> Invitation:
    """The body's answer: its named attendees, or a decline. Answers can change until the deadline."""
    invitation = Invitation.objects.select_for_update().select_related("meeting").get(pk=invitation.pk)
    meeting = invitation.meeting
    if meeting.is_cancelled:
        raise ValidationError("中止した会議です。")
    if meeting.answer_by and timezone.localdate() > meeting.answer_by:
        raise ValidationError("出欠の回答期限を過ぎています。主催者に連絡してください。")
    if (
        _minutes(meeting).status != Minutes.Status.DRAFT
        or meeting.attendees.exclude(attendance=Attendee.Attendance.EXPECTED).exists()
    ):
        raise ValidationError("出欠の記録が始まった会議の回答は変更できません。")
    if attending and not people:
        raise ValidationError("出席する方を選んでください。")
    if any(p.body_id != invitation.body_id or not p.is_current for p in people):
        raise ValidationError("出席者には、この機関の現在の担当者だけを選べます。")
    keep = {p.pk for p in people} if attending else set()
    for attendee in invitation.attendees.filter(withdrawn=False):
        if attendee.person_id not in keep:
            attendee.withdrawn = True
            save_tracked(attendee, by=by, update_fields=["withdrawn"])
    present = set(invitation.attendees.filter(withdrawn=False).values_list("person_id", flat=True))
    for person in people if attending else []:
        if person.pk not in present:
            save_tracked(Attendee(meeting=meeting, invitation=invitation, person=person), by=by)
    invitation.status = Invitation.Status.ATTENDING if attending else Invitation.Status.DECLINED
    invitation.answered_at = timezone.now()
    invitation.answered_by = by
    return save_tracked(invitation, by=by, update_fields=["status", "answered_at", "answered_by"])


# --- attendance ---------------------------------------------------------------------------------------------


@transaction.atomic
def attendance_record(*, meeting: Meeting, states: dict[int, str], by) -> Meeting:
    """Who was there, per attendee (present / absent / late / left early)."""
    if _minutes(meeting).is_final:
        raise ValidationError(LOCKED_MESSAGE)
    valid = set(Attendee.Attendance.values)
    for attendee in meeting.attendees.select_for_update().filter(pk__in=list(states), withdrawn=False):
        state = states[attendee.pk]
        if state not in valid:
            raise ValidationError("出欠の値が正しくありません。")
        if attendee.attendance != state:
            attendee.attendance = state
            save_tracked(attendee, by=by, update_fields=["attendance"])
    return meeting


@transaction.atomic
def external_attendee_add(*, meeting: Meeting, name: str, affiliation: str, pledge_received: bool, by) -> Attendee:
    """Art. 9(2): a person outside the network, by name and affiliation; no account and no access."""
    if not meeting.is_case_review:
        raise ValidationError("外部の出席者は個別ケース検討会議にだけ加えられます。")
    if _minutes(meeting).is_final:
        raise ValidationError(LOCKED_MESSAGE)
    attendee = Attendee(
        meeting=meeting,
        external_name=name.strip(),
        external_affiliation=affiliation.strip(),
        pledge_received=pledge_received,
    )
    return save_tracked(attendee, by=by)


# --- agenda and minutes --------------------------------------------------------------------------------------


def _require_editable(meeting: Meeting) -> Minutes:
    minutes = Minutes.objects.select_for_update().get(meeting=meeting)
    if not minutes.is_editable:
        raise ValidationError(LOCKED_MESSAGE)
    return minutes


def _check_matter(meeting: Meeting, matter: str) -> None:
    if matter not in dict(meeting.matter_choices()):
        raise ValidationError(f"要綱第{meeting.article}条の協議事項から選んでください。")


@transaction.atomic
def agenda_item_add(*, meeting: Meeting, data: dict, by) -> AgendaItem:
    _require_editable(meeting)
    _check_matter(meeting, data.get("matter", ""))
    last = meeting.agenda_items.order_by("-position").values_list("position", flat=True).first() or 0
    return save_tracked(AgendaItem(meeting=meeting, position=last + 1, **data), by=by)


@transaction.atomic
def agenda_item_update(*, item: AgendaItem, data: dict, by) -> AgendaItem:
    """The item and its part of the minutes (議事の経過, 決定事項), while the minutes are not approved."""
    _require_editable(item.meeting)
    if "matter" in data:
        _check_matter(item.meeting, data["matter"])
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    changed = [name for name, value in data.items() if getattr(item, name) != value]
    for name in changed:
        setattr(item, name, data[name])
    return save_tracked(item, by=by, update_fields=changed) if changed else item


@transaction.atomic
def action_add(*, item: AgendaItem, data: dict, by) -> FollowUpAction:
    _require_editable(item.meeting)
    return save_tracked(FollowUpAction(agenda_item=item, **data), by=by)


@transaction.atomic
def action_complete(*, action: FollowUpAction, by) -> FollowUpAction:
    """The responsible body marks its action done (allowed after approval: it is not part of the record)."""
    action = FollowUpAction.objects.select_for_update().get(pk=action.pk)
    if action.status == FollowUpAction.Status.DONE:
        raise ValidationError("この役割分担は既に完了しています。")
    action.status = FollowUpAction.Status.DONE
    action.done_at = timezone.now()
    return save_tracked(action, by=by, update_fields=["status", "done_at"])


@transaction.atomic
def minutes_circulate(*, meeting: Meeting, confirm_by: datetime.date, by) -> Minutes:
    """Send the draft to the attendees for confirmation by `confirm_by`."""
    minutes = Minutes.objects.select_for_update().get(meeting=meeting)
    if minutes.status != Minutes.Status.DRAFT:
        raise ValidationError("作成中の会議録だけを確認に回せます。")
    if not meeting.agenda_items.exists():
        raise ValidationError("議題のない会議録は確認に回せません。")
    if confirm_by < timezone.localdate():
        raise ValidationError("確認の期限は今日以降の日にしてください。")
    minutes.status = Minutes.Status.CIRCULATED
    minutes.circulated_at = timezone.now()
    minutes.confirm_by = confirm_by
    save_tracked(minutes, by=by, update_fields=["status", "circulated_at", "confirm_by"])
    emails.minutes_circulated(meeting, _attendee_people(meeting))
    return minutes


@transaction.atomic
def minutes_confirm(*, meeting: Meeting, person: Person, by) -> Attendee:
    """An attendee confirms the circulated draft as it stands (corrections are proposed per item instead)."""
    minutes = Minutes.objects.select_for_update().get(meeting=meeting)
    if minutes.status != Minutes.Status.CIRCULATED:
        raise ValidationError("確認依頼中の会議録だけを確認できます。")
    attendee = meeting.attendees.select_for_update().filter(person=person, withdrawn=False).first()
    if attendee is None:
        raise ValidationError("会議録を確認できるのは出席者だけです。")
    if attendee.minutes_confirmed_at is None:
        attendee.minutes_confirmed_at = timezone.now()
        save_tracked(attendee, by=by, update_fields=["minutes_confirmed_at"])
    return attendee


def unconfirmed_attendee_people(meeting: Meeting):
    """The current people among the attendees who have not yet confirmed the circulated draft."""
    return (
        Person.objects.current()
        .filter(
            meeting_attendances__meeting=meeting,
            meeting_attendances__withdrawn=False,
            meeting_attendances__minutes_confirmed_at__isnull=True,
        )
        .select_related("user")
    )


REMIND_INTERVAL = datetime.timedelta(hours=20)


@transaction.atomic
def minutes_remind(*, meeting: Meeting, by) -> int:
    """One reminder mail to each attendee who has not confirmed yet; at most one round a day, so a double click or
    the daily command after a manual reminder sends nothing twice. Returns how many were reminded."""
    minutes = Minutes.objects.select_for_update().get(meeting=meeting)
    if minutes.status != Minutes.Status.CIRCULATED:
        raise ValidationError("確認依頼中の会議録だけ催促できます。")
    now = timezone.now()
    if minutes.reminded_at and now - minutes.reminded_at < REMIND_INTERVAL:
        raise ValidationError("催促は1日に1回までです。前回の催促からしばらくおいてください。")
    people = list(unconfirmed_attendee_people(meeting))
    if not people:
        raise ValidationError("未確認の出席者はいません。")
    minutes.reminded_at = now
    save_tracked(minutes, by=by, update_fields=["reminded_at"])
    return emails.minutes_reminder(meeting, people)


def minutes_remind_due(*, today: datetime.date, by) -> int:
    """The daily command: remind, the day before the deadline, whoever has not confirmed circulated minutes."""
    sent = 0
    due = Minutes.objects.filter(status=Minutes.Status.CIRCULATED, confirm_by=today + datetime.timedelta(days=1))
    for minutes in due.select_related("meeting"):
        try:
            sent += minutes_remind(meeting=minutes.meeting, by=by)
        except ValidationError:
            continue  # everyone confirmed, or already reminded today
    return sent


def is_attendee(meeting: Meeting, person: Person | None) -> bool:
    return person is not None and meeting.attendees.filter(person=person, withdrawn=False).exists()


@transaction.atomic
def correction_propose(*, item: AgendaItem, person: Person, text: str, by) -> Correction:
    minutes = Minutes.objects.select_for_update().get(meeting=item.meeting)
    if minutes.status != Minutes.Status.CIRCULATED:
        raise ValidationError("確認依頼中の会議録にだけ修正を提案できます。")
    if not is_attendee(item.meeting, person):
        raise ValidationError("修正を提案できるのは出席者だけです。")
    if not text.strip():
        raise ValidationError("修正の内容を入力してください。")
    return save_tracked(Correction(agenda_item=item, proposed_by=person, text=text.strip()), by=by)


@transaction.atomic
def correction_decide(*, correction: Correction, accept: bool, answer: str, person: Person, by) -> Correction:
    """The organiser accepts a proposal (and edits the item accordingly) or answers why not."""
    correction = Correction.objects.select_for_update().select_related("agenda_item").get(pk=correction.pk)
    _require_editable(correction.agenda_item.meeting)
    if correction.status != Correction.Status.OPEN:
        raise ValidationError("この提案は既に判断されています。")
    if not accept and not answer.strip():
        raise ValidationError("反映しない場合は、理由を回答してください。")
    correction.status = Correction.Status.ACCEPTED if accept else Correction.Status.ANSWERED
    correction.answer = answer.strip()
    correction.decided_at = timezone.now()
    correction.decided_by = person
    return save_tracked(correction, by=by, update_fields=["status", "answer", "decided_at", "decided_by"])


@transaction.atomic
def minutes_approve(*, meeting: Meeting, person: Person, by) -> Minutes:
    """Approve the minutes (chair or organiser). The PDF is rendered once, after commit, in the worker; when
    it is stored the minutes are locked."""
    from meetings.documents import minutes_content_hash
    from meetings.tasks import render_minutes_pdf

    minutes = Minutes.objects.select_for_update().get(meeting=meeting)
    if minutes.status != Minutes.Status.CIRCULATED:
        raise ValidationError("確認に回した会議録だけを承認できます。")
    if minutes.meeting.agenda_items.filter(corrections__status=Correction.Status.OPEN).exists():
        raise ValidationError("判断していない修正の提案があります。")
    if person.pk not in (meeting.organiser_id, meeting.chair_id) and person.role not in organiser_roles(meeting.kind):
        raise ValidationError("会議録を承認できるのは議長か主催者です。")
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at = timezone.now()
    minutes.approved_by = person
    minutes.content_sha256 = minutes_content_hash(meeting)
    save_tracked(minutes, by=by, update_fields=["status", "approved_at", "approved_by", "content_sha256"])
    transaction.on_commit(lambda: render_minutes_pdf.enqueue(minutes_id=minutes.pk))
    return minutes


@transaction.atomic
def minutes_store_pdf(*, minutes: Minutes, content: bytes, by) -> Minutes:
    """Store the rendered PDF with its SHA-256 and lock the minutes. Runs once: a stored file is never replaced."""
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.status != Minutes.Status.APPROVED or minutes.pdf_path:
        return minutes
    name = private_storage().save(f"minutes/{minutes.meeting.uuid}.pdf", ContentFile(content))
    minutes.pdf_path = name
    minutes.pdf_sha256 = hashlib.sha256(content).hexdigest()
    minutes.status = Minutes.Status.LOCKED
    minutes.locked_at = timezone.now()
    return save_tracked(minutes, by=by, update_fields=["pdf_path", "pdf_sha256", "status", "locked_at"])


@transaction.atomic
def erratum_add(*, minutes: Minutes, reason: str, text: str, person: Person, by) -> Erratum:
    """A numbered 訂正 of locked minutes: the stored PDF stays as approved; the correction is shown beside it."""
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.status != Minutes.Status.LOCKED:
        raise ValidationError("訂正は確定した会議録にだけ記録します。確定前は会議録を直接修正してください。")
    if not reason.strip() or not text.strip():
        raise ValidationError("訂正の内容と理由を入力してください。")
    number = (minutes.errata.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    erratum = Erratum(minutes=minutes, number=number, reason=reason.strip(), text=text.strip(), created_by=person)
    return save_tracked(erratum, by=by)


@transaction.atomic
def minutes_publish(*, minutes: Minutes, by) -> Minutes:
    """Art. 7/8 minutes on the public page, once locked. Art. 9 minutes: never."""
    minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    if minutes.meeting.is_case_review:
        raise ValidationError("個別ケース検討会議の会議録は公開できません。")
    if minutes.status != Minutes.Status.LOCKED:
        raise ValidationError("確定した会議録だけを公開できます。")
    if minutes.published_at is not None:
        raise ValidationError("この会議録は既に公開されています。")
    minutes.published_at = timezone.now()
    return save_tracked(minutes, by=by, update_fields=["published_at"])


# --- case-review meetings (Art. 9) ---------------------------------------------------------------------------


@transaction.atomic
def review_sheet_prepare(*, meeting: Meeting, case, fields: list[str], by) -> ReviewSheet:
    """The case-review sheet: the ticked fields only, snapshotted now as for a referral packet; never the
    address while address protection is in force. Preparing it again replaces the snapshot."""
    from cases.models import PacketField
    from cases.services import build_packet

    if not meeting.is_case_review:
        raise ValidationError("ケース検討シートは個別ケース検討会議にだけ作成します。")
    if not meeting.agenda_items.filter(case=case).exists():
        raise ValidationError("このケースは会議の議題にありません。")
    fields = [str(f) for f in fields]
    if not fields or not set(fields) <= set(PacketField.values):
        raise ValidationError("シートに載せる項目を選んでください。")
    if case.address_protection and PacketField.ADDRESS in fields:
        raise ValidationError("住民票のDV等支援措置を実施中のため、住所はシートに載せられません。")
    sheet = ReviewSheet.objects.select_for_update().filter(meeting=meeting, case=case).first()
    if sheet is None:
        sheet = ReviewSheet(meeting=meeting, case=case, prepared_by=by)
    sheet.fields = fields
    sheet.packet = build_packet(case, fields)
    sheet.address_protected = case.address_protection
    sheet.prepared_at = timezone.now()
    sheet.prepared_by = by
    return save_tracked(sheet, by=by)


@transaction.atomic
def duty_confirm(*, meeting: Meeting, person: Person, ip: str | None, by):
    """The Art. 10 duty confirmed by this person for this meeting (once; kept for ever)."""
    from meetings.models import DutyConfirmation

    existing = DutyConfirmation.objects.filter(meeting=meeting, person=person).first()
    return existing or save_tracked(DutyConfirmation(meeting=meeting, person=person, ip=ip), by=by)


@transaction.atomic
def decision_to_plan_item(*, item: AgendaItem, service: str, responsible_body: Body, due_on, by):
    """One action of the hub: the decision of an Art. 9 agenda item becomes a support-plan item on its case,
    linked back to the decision (AgendaItem.plan_item)."""
    from cases.services import plan_item_add

    item = AgendaItem.objects.select_for_update(of=("self",)).select_related("meeting", "case").get(pk=item.pk)
    if not item.meeting.is_case_review or item.case is None:
        raise ValidationError("ケースを検討した議題の決定だけを支援計画にできます。")
    if not item.decisions.strip():
        raise ValidationError("この議題には決定事項がありません。")
    if item.plan_item_id is not None:
        raise ValidationError("この決定は既に支援計画の項目になっています。")
    plan_item = plan_item_add(
        case=item.case,
        data={
            "service": service,
            "responsible_body": responsible_body,
            "detail": f"{item.meeting.title}の決定：{item.decisions.strip()}",
            "due_on": due_on,
        },
        by=by,
    )
    item.plan_item = plan_item
    save_tracked(item, by=by, update_fields=["plan_item"])
    return plan_item


# --- materials and the calendar feed ------------------------------------------------------------------------


@transaction.atomic
def material_add(*, item: AgendaItem, title: str, uploaded, kind, by):
    """Store a checked upload (ageo_network.uploads.check_upload gave `kind`) in the private storage."""
    from meetings.models import Material

    _require_editable(item.meeting)
    content = b"".join(uploaded.chunks())
    name = private_storage().save(f"materials/{item.meeting.uuid}/{uuid_hex()}.{kind.extension}", ContentFile(content))
    material = Material(
        agenda_item=item,
        title=title.strip() or uploaded.name,
        path=name,
        content_type=kind.content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=by,
    )
    return save_tracked(material, by=by)


def uuid_hex() -> str:
    import uuid

    return uuid.uuid4().hex


@transaction.atomic
def calendar_token_issue(*, person: Person, by):
    """A new secret feed address; the previous one (if any) stops working at once. The returned row carries the
    secret in `.secret` for this one response: the database keeps only its hash."""
    import secrets

    from meetings.models import CalendarToken

    calendar_token_revoke(person=person, by=by)
    secret = secrets.token_urlsafe(32)
    token = save_tracked(CalendarToken(person=person, token_hash=CalendarToken.hash_secret(secret)), by=by)
    token.secret = secret
    return token


@transaction.atomic
def calendar_token_revoke(*, person: Person, by) -> int:
    from meetings.models import CalendarToken

    count = 0
    for token in CalendarToken.objects.select_for_update().filter(person=person, revoked_at__isnull=True):
        token.revoked_at = timezone.now()
        save_tracked(token, by=by, update_fields=["revoked_at"])
        count += 1
    return count
