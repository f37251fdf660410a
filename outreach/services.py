"""Writes to the outreach app. Every function runs in one transaction and leaves history.

Stock: the material row is locked (`select_for_update`) for every movement, so two shipments of the
last units are serialised and the second one sees the real balance; the balance never goes below 0
(also a database constraint). Registrations: the event row is locked, so capacity is counted by one
registration at a time and the waiting list moves up in order.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ageo_network.history import save_tracked
from ageo_network.wareki import fiscal_year
from outreach import emails
from outreach.models import (
    ActivityReport,
    CertificateCounter,
    Comment,
    DigestChoice,
    Event,
    Material,
    Placement,
    PlacementConfirmation,
    Post,
    PostReport,
    Registration,
    RestockRequest,
    StockMovement,
    new_cancel_token,
)
from registry.models import Body, Person

# --- materials and the stock ledger --------------------------------------------------------------------------


@transaction.atomic
def material_create(*, data: dict, by) -> Material:
    material = Material(**data)
    return save_tracked(material, by=by)


@transaction.atomic
def material_update(*, material: Material, data: dict, by) -> Material:
    material = Material.objects.select_for_update().get(pk=material.pk)
    # A file compares equal to a new upload of the same name: a file in `data` is always a change.
    changed = [f for f, value in data.items() if f in ("print_file", "thumbnail") or getattr(material, f) != value]
    if not changed:
        return material
    for field in changed:
        setattr(material, field, data[field])
    if "low_stock_threshold" in changed and not material.is_low and material.low_stock_notified:
        material.low_stock_notified = False
        changed.append("low_stock_notified")
    return save_tracked(material, by=by, update_fields=changed)


def _record_movement(*, material: Material, kind: str, quantity: int, by, body=None, note="") -> StockMovement:
    """Append one ledger line and move the balance; the caller holds the material's row lock."""
    if quantity <= 0:
        raise ValidationError("数量は1以上で入力してください。")
    change = quantity if kind in StockMovement.INCOMING else -quantity
    if material.stock + change < 0:
        raise ValidationError(
            "在庫が足りません（在庫 %(stock)s、指定 %(quantity)s）。",
            params={"stock": material.stock, "quantity": quantity},
            code="insufficient",
        )
    material.stock += change
    fields = ["stock"]
    if material.is_low and not material.low_stock_notified:
        material.low_stock_notified = True
        fields.append("low_stock_notified")
        emails.low_stock(material)
    elif not material.is_low and material.low_stock_notified:
        material.low_stock_notified = False  # notify again the next time it runs low
        fields.append("low_stock_notified")
    save_tracked(material, by=by, update_fields=fields, reason=StockMovement.Kind(kind).label)
    movement = StockMovement(
        material=material, kind=kind, quantity=quantity, balance_after=material.stock, body=body, note=note, by=by
    )
    return save_tracked(movement, by=by)


def _locked(material: Material) -> Material:
    return Material.objects.select_for_update().get(pk=material.pk)


@transaction.atomic
def stock_receive(*, material: Material, quantity: int, by, note: str = "") -> StockMovement:
    """Units delivered by the printer."""
    return _record_movement(
        material=_locked(material), kind=StockMovement.Kind.RECEIVED, quantity=quantity, by=by, note=note
    )


@transaction.atomic
def stock_discard(*, material: Material, quantity: int, by, note: str = "") -> StockMovement:
    """Units thrown away (an old edition, damaged)."""
    return _record_movement(
        material=_locked(material), kind=StockMovement.Kind.DISCARDED, quantity=quantity, by=by, note=note
    )


@transaction.atomic
def stock_return(*, material: Material, body: Body, quantity: int, by, note: str = "") -> StockMovement:
    """Units a body sends back (its placement was removed, or it had too many)."""
    return _record_movement(
        material=_locked(material), kind=StockMovement.Kind.RETURNED, quantity=quantity, body=body, by=by, note=note
    )


@transaction.atomic
def stock_ship(*, material: Material, body: Body, quantity: int, spot: str, by, note: str = "") -> StockMovement:
    """Send units to a body: a ledger line, the body's placement at `spot` grows (or starts), and the
    open restock requests of that body for this material close."""
    material = _locked(material)
    if not body.is_active:
        raise ValidationError("退会した機関には発送できません。")
    movement = _record_movement(
        material=material, kind=StockMovement.Kind.SHIPPED, quantity=quantity, body=body, by=by, note=note
    )
    placement = (
        Placement.objects.select_for_update()
        .filter(body=body, material=material, spot=spot, status=Placement.Status.ACTIVE)
        .first()
    )
    if placement is None:
        placement = save_tracked(Placement(body=body, material=material, spot=spot, quantity=quantity), by=by)
    else:
        placement.quantity += quantity
        save_tracked(placement, by=by, update_fields=["quantity"], reason="発送")
    open_requests = RestockRequest.objects.select_for_update().filter(
        placement__body=body, placement__material=material, closed_at__isnull=True
    )
    now = timezone.now()
    for request in open_requests:
        request.closed_at = now
        request.shipment = movement
        save_tracked(request, by=by, update_fields=["closed_at", "shipment"], reason="発送で対応")
    return movement


# --- placements ------------------------------------------------------------------------------------------------


@transaction.atomic
def restock_request_create(*, placement: Placement, level: str, by) -> RestockRequest:
    """残りわずか / なくなった: one open request per placement; a second click updates its level."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if not placement.is_active:
        raise ValidationError("撤去した設置には補充を依頼できません。")
    request = placement.restock_requests.filter(closed_at__isnull=True).first()
    if request is not None:
        if request.level != level:
            request.level = level
            save_tracked(request, by=by, update_fields=["level"])
        return request
    request = save_tracked(RestockRequest(placement=placement, level=level, requested_by=by), by=by)
    emails.restock_requested(request)
    return request


@transaction.atomic
def placement_remove(*, placement: Placement, by, on: datetime.date | None = None) -> Placement:
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if not placement.is_active:
        return placement
    placement.status = Placement.Status.REMOVED
    placement.removed_on = on or timezone.localdate()
    save_tracked(placement, by=by, update_fields=["status", "removed_on"])
    for request in placement.restock_requests.filter(closed_at__isnull=True):
        request.closed_at = timezone.now()
        save_tracked(request, by=by, update_fields=["closed_at"], reason="設置の撤去")
    return placement


@transaction.atomic
def placements_confirm(*, body: Body, by, on: datetime.date | None = None) -> PlacementConfirmation:
    """The yearly confirmation that the body's active placements are still there (once per 年度)."""
    year = fiscal_year(on or timezone.localdate())
    existing = PlacementConfirmation.objects.filter(body=body, fiscal_year=year).first()
    if existing is not None:
        return existing
    count = Placement.objects.filter(body=body, status=Placement.Status.ACTIVE).count()
    confirmation = PlacementConfirmation(body=body, fiscal_year=year, confirmed_by=by, active_count=count)
    return save_tracked(confirmation, by=by)


# --- events and registrations ----------------------------------------------------------------------------------


EVENT_FIELDS = [
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "place",
    "capacity",
    "audience",
    "organiser",
    "description",
    "meeting",
]


def _check_meeting(meeting) -> None:
    """An event is held together with an Art. 7/8 meeting only: never a case-review meeting (its existence
    and date are the hub's), never a cancelled one. The meeting row is read again under a lock, so a
    cancellation that commits while the event form was open is seen (meetings.services locks it too)."""
    if meeting is None:
        return
    meeting = type(meeting).objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_case_review:
        raise ValidationError("個別ケース検討会議とは同時開催にできません。", code="case_review_meeting")
    if meeting.is_cancelled:
        raise ValidationError("中止になった会議とは同時開催にできません。", code="cancelled_meeting")


@transaction.atomic
def event_create(*, data: dict, by) -> Event:
    _check_meeting(data.get("meeting"))
    return save_tracked(Event(**data), by=by)


@transaction.atomic
def event_update(*, event: Event, data: dict, by) -> Event:
    """Change an event. A capacity change moves people between the registered and the waiting list; the returned
    event's `moved_to_waiting` lists who went back to waiting (empty when nobody did)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    event.moved_to_waiting = []
    # A link made earlier stays when the meeting is cancelled afterwards; only a new link is checked.
    if "meeting" in data and getattr(data["meeting"], "pk", None) != event.meeting_id:
        _check_meeting(data["meeting"])
    changed = [field for field, value in data.items() if getattr(event, field) != value]
    if not changed:
        return event
    for field in changed:
        setattr(event, field, data[field])
    save_tracked(event, by=by, update_fields=changed)
    if "capacity" in changed and not event.is_cancelled:
        # Lowered below the number registered: re-waitlist rather than refuse, since a smaller room is a fact
        # the secretariat has to record, and the people moved are told (members on the page, the public by mail).
        event.moved_to_waiting = _demote_over_capacity(event, by=by)
        _promote_waiting(event, by=by)
    return event


@transaction.atomic
def event_cancel(*, event: Event, by) -> Event:
    """Call off an event that has not started: it takes no more registrations and shows 「中止」. Every public
    registrant still on the list (registered or waiting) gets one mail through the worker; members see it on
    the event page. Registrations keep their status, so the record shows who was expecting to come."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:
        raise ValidationError("この行事は既に中止になっています。", code="already_cancelled")
    if event.starts_at <= timezone.now():
        raise ValidationError("開始した行事は中止にできません。", code="started")
    event.is_cancelled = True
    save_tracked(event, by=by, update_fields=["is_cancelled"], reason="中止")
    active = event.registrations.filter(body__isnull=True).exclude(status=Registration.Status.CANCELLED)
    for registration in active.order_by("registered_at", "id"):
        emails.event_cancelled(registration)
    return event


def _registered_count(event: Event) -> int:
    return event.registrations.filter(status=Registration.Status.REGISTERED).count()


def _promote_waiting(event: Event, *, by) -> list[Registration]:
    """Move people up from the waiting list, first come first served, while places are free.
    The caller holds the event's row lock."""
    promoted = []
    if event.is_cancelled:  # nobody moves up to an event that will not take place (and nobody is mailed so)
        return promoted
    free = event.capacity - _registered_count(event)
    if free <= 0:
        return promoted
    waiting = event.registrations.select_for_update().filter(status=Registration.Status.WAITING)
    for registration in waiting.order_by("registered_at", "id")[:free]:
        registration.status = Registration.Status.REGISTERED
        save_tracked(registration, by=by, update_fields=["status"], reason="キャンセル待ちから繰り上げ")
        promoted.append(registration)
        if registration.is_public:
            emails.registration_promoted(registration)
    return promoted


def _demote_over_capacity(event: Event, *, by) -> list[Registration]:
    """The capacity was lowered below the number registered: the most recently registered go back to the
    waiting list (they keep their place in it by registration time, so they move up first again), and a
    public registrant is told by mail. The caller holds the event's row lock."""
    over = _registered_count(event) - event.capacity
    demoted = []
    if over <= 0:
        return demoted
    registered = event.registrations.select_for_update().filter(status=Registration.Status.REGISTERED)
    for registration in registered.order_by("-registered_at", "-id")[:over]:
        registration.status = Registration.Status.WAITING
        save_tracked(registration, by=by, update_fields=["status"], reason="定員の変更でキャンセル待ちへ")
        demoted.append(registration)
        if registration.is_public:
            emails.registration_waitlisted(registration)
    return demoted


def _open_for_registration(event: Event) -> None:
    if event.is_cancelled:
        raise ValidationError("この行事は中止になりました。")
    if event.starts_at <= timezone.now():
        raise ValidationError("この行事の申込は締め切りました。")


@transaction.atomic
def registration_create_member(
    *, event: Event, body: Body, person: Person | None = None, name: str = "", name_kana: str = "", by
) -> Registration:
    """A member registers a person of their own body: a current `Person` of the body, or by name someone of the
    body who has no entry in the system (exactly one of the two). One active registration per Person and event;
    over capacity, the person waits."""
    if (person is None) == (not name):
        raise ValidationError("申し込む人を一覧から選ぶか、一覧にいない人の氏名を入力してください（どちらか一方）。")
    event = Event.objects.select_for_update().get(pk=event.pk)
    _open_for_registration(event)
    if person is not None:
        person = Person.objects.select_related("user", "body").get(pk=person.pk)
        if person.body_id != body.pk or not person.is_current_on(timezone.localdate()):
            raise ValidationError("自機関の現在の担当者だけを申し込めます。", code="not_own_person")
        # Under the event row lock, so two clicks cannot both pass (the constraint is the last guard).
        if event.registrations.filter(person=person).exclude(status=Registration.Status.CANCELLED).exists():
            raise ValidationError(
                "%(name)s さんは既にこの行事に申し込まれています。", params={"name": person.name}, code="duplicate"
            )
        name, name_kana = person.name, person.name_kana
    status = (
        Registration.Status.REGISTERED if _registered_count(event) < event.capacity else Registration.Status.WAITING
    )
    registration = Registration(
        event=event, body=body, person=person, name=name, name_kana=name_kana, status=status, registered_by=by
    )
    return save_tracked(registration, by=by)


@transaction.atomic
def registration_create_public(*, event: Event, name: str, name_kana: str, email: str) -> Registration:
    """The public form: a place while there is one, else the waiting list; a confirmation mail with the
    cancel link either way. The history names no user (the public)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.is_public:
        raise ValidationError("この行事は一般の申込を受け付けていません。")
    _open_for_registration(event)
    status = (
        Registration.Status.REGISTERED if _registered_count(event) < event.capacity else Registration.Status.WAITING
    )
    registration = Registration(event=event, name=name, name_kana=name_kana, email=email, status=status)
    save_tracked(registration, by=None)
    emails.registration_received(registration)
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, by=None) -> Registration:
    """Cancel a registration (the public cancel link, a member, the secretariat); the first on the
    waiting list moves up."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return registration
    was_registered = registration.status == Registration.Status.REGISTERED
    registration.status = Registration.Status.CANCELLED
    save_tracked(registration, by=by, update_fields=["status"])
    if was_registered:
        _promote_waiting(event, by=by)
    return registration


def _next_certificate_serial(day: datetime.date) -> str:
    year = fiscal_year(day)
    CertificateCounter.objects.get_or_create(fiscal_year=year)
    counter = CertificateCounter.objects.select_for_update().get(fiscal_year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"GK{year}-{counter.last:04d}"


@transaction.atomic
def attendance_record(*, event: Event, attended_ids: set[int], by) -> int:
    """Attendance on the day: every registered person is marked present or absent. For a gatekeeper
    training each person present gets a certificate number (once; it is never reused)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:  # read under the lock: a cancellation committed while the form was open is seen
        raise ValidationError("中止になった行事の出欠は記録できません。", code="cancelled_event")
    changed = 0
    registrations = event.registrations.select_for_update().filter(status=Registration.Status.REGISTERED)
    for registration in registrations.order_by("name_kana", "id"):
        attended = registration.pk in attended_ids
        fields = []
        if registration.attended != attended:
            registration.attended = attended
            fields.append("attended")
        if attended and event.is_gatekeeper_training and not registration.certificate_serial:
            registration.certificate_serial = _next_certificate_serial(event.day)
            fields.append("certificate_serial")
        if fields:
            save_tracked(registration, by=by, update_fields=fields, reason="出欠の記録")
            changed += 1
    return changed


ERASED_NAME = "（個人情報は削除済み）"


def public_registrants_purge(*, today: datetime.date, by) -> int:
    """Erase the personal data of public registrants of events that ended more than OUTREACH_PUBLIC_REGISTRANT_DAYS
    ago (default 365): name, reading, address and cancel link go; the row stays with its status and attendance, so
    the year's event figures do not change. Members' registrations stay (the gatekeeper roster). The erased fields
    are left out of the history, so no copy remains. Returns how many were erased."""
    days = settings.OUTREACH_PUBLIC_REGISTRANT_DAYS
    cutoff = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time.min))
    doomed = Registration.objects.filter(body__isnull=True, event__ends_at__lt=cutoff).exclude(name=ERASED_NAME)
    count = 0
    with transaction.atomic():
        for registration in doomed.select_for_update():
            registration.name, registration.name_kana, registration.email = ERASED_NAME, "", ""
            registration.cancel_token = new_cancel_token()
            save_tracked(
                registration,
                by=by,
                update_fields=["name", "name_kana", "email", "cancel_token"],
                reason="保存期間の経過による個人情報の削除",
                clean=False,
            )
            count += 1
    return count


# --- the bulletin ----------------------------------------------------------------------------------------------


@transaction.atomic
def post_create(*, data: dict, body: Body, by) -> Post:
    """A bulletin post. The form has already warned about text that looks personal; the author confirmed."""
    post = Post(author=by, author_body=body, **data)
    return save_tracked(post, by=by)


@transaction.atomic
def comment_create(*, post: Post, text: str, body: Body, by) -> Comment:
    if post.is_hidden:
        raise ValidationError("非表示の投稿にはコメントできません。")
    return save_tracked(Comment(post=post, text=text, author=by, author_body=body), by=by)


@transaction.atomic
def post_pin(*, post: Post, pinned: bool, by) -> Post:
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.is_pinned != pinned:
        post.is_pinned = pinned
        save_tracked(post, by=by, update_fields=["is_pinned"])
    return post


@transaction.atomic
def post_hide(*, post: Post, hidden: bool, by, reason: str = "") -> Post:
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.is_hidden != hidden:
        post.is_hidden = hidden
        save_tracked(post, by=by, update_fields=["is_hidden"], reason=reason)
    return post


@transaction.atomic
def comment_hide(*, comment: Comment, hidden: bool, by) -> Comment:
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.is_hidden != hidden:
        comment.is_hidden = hidden
        save_tracked(comment, by=by, update_fields=["is_hidden"])
    return comment


@transaction.atomic
def post_report(*, post: Post, reason: str, by) -> PostReport:
    report = save_tracked(PostReport(post=post, reason=reason, reported_by=by), by=by)
    emails.post_reported(report)
    return report


@transaction.atomic
def digest_choose(*, body: Body, frequency: str, by) -> DigestChoice:
    choice = DigestChoice.objects.select_for_update().filter(body=body).first()
    if choice is None:
        return save_tracked(DigestChoice(body=body, frequency=frequency), by=by)
    if choice.frequency != frequency:
        choice.frequency = frequency
        save_tracked(choice, by=by, update_fields=["frequency"])
    return choice


def bulletin_digest_send(*, since: datetime.datetime) -> int:
    """The weekly digest: to the current people of each body that chose it, the titles of the posts since
    `since` and a link (no text of the posts). Returns the number of messages queued."""
    posts = list(Post.objects.filter(is_hidden=False, created_at__gte=since).order_by("created_at"))
    if not posts:
        return 0
    bodies = Body.objects.active().filter(digest_choice__frequency=DigestChoice.Frequency.WEEKLY)
    return sum(emails.bulletin_digest(body, posts) for body in bodies)


# --- activity reports ------------------------------------------------------------------------------------------

REPORT_FIELDS = ["posters", "leaflets", "event_attendees", "gatekeepers", "text"]


@transaction.atomic
def activity_report_submit(*, body: Body, fiscal_year: int, data: dict, by) -> ActivityReport:
    """File or correct the body's report of one 年度 (one report per body and year)."""
    report = ActivityReport.objects.select_for_update().filter(body=body, fiscal_year=fiscal_year).first()
    if report is None:
        return save_tracked(ActivityReport(body=body, fiscal_year=fiscal_year, submitted_by=by, **data), by=by)
    changed = [field for field in REPORT_FIELDS if getattr(report, field) != data[field]]
    for field in changed:
        setattr(report, field, data[field])
    if changed:
        report.submitted_at = timezone.now()
        report.submitted_by = by
        save_tracked(report, by=by, update_fields=[*changed, "submitted_at", "submitted_by"])
    return report


def activity_report_remind(*, fiscal_year: int) -> int:
    """Mail the current people of every active body without a report of `fiscal_year`. Returns how many bodies."""
    reported = ActivityReport.objects.filter(fiscal_year=fiscal_year).values("body_id")
    bodies = list(Body.objects.active().exclude(pk__in=reported))
    for body in bodies:
        emails.activity_report_reminder(body, fiscal_year)
    return len(bodies)
