"""Writes to the registry. Every function runs in one transaction and leaves history."""

import difflib
import re
import unicodedata
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ageo_network.history import save_tracked
from ageo_network.wareki import fiscal_year, fiscal_year_code
from registry import emails
from registry.models import (
    ROSTER_SHOW_FIELDS,
    AnnualReview,
    AnnualReviewEntry,
    Application,
    Body,
    BodyActivity,
    BodyPledge,
    Person,
    PersonPledge,
    PledgeVersion,
    ReferenceCounter,
    WithdrawalRequest,
)
from registry.roles import ROLE_PERMISSIONS, ROLES_BY_BODY_KIND, group_name

BODY_EDITABLE_FIELDS = [
    "name",
    "name_kana",
    "division",
    "section",
    "postal_code",
    "address",
    "phone",
    "email",
    "website",
    "in_city",
    "joined_on",
]


@transaction.atomic
def body_update(*, body: Body, by, data: dict) -> Body:
    """Change a body's profile fields; unknown keys are refused, not ignored."""
    unknown = set(data) - set(BODY_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError("変更できない項目が含まれています。")
    body = Body.objects.select_for_update().get(pk=body.pk)
    changed = [field for field, value in data.items() if getattr(body, field) != value]
    if not changed:
        return body
    for field in changed:
        setattr(body, field, data[field])
    return save_tracked(body, by=by, update_fields=changed)


@transaction.atomic
def person_create(*, user, body: Body, role: str, name: str, name_kana: str = "", by, **extra) -> Person:
    person = Person(user=user, body=body, role=role, name=name, name_kana=name_kana, **extra)
    save_tracked(person, by=by)
    user.groups.set([role_group(role)])
    return person


def role_group(role: str) -> Group:
    return Group.objects.get(name=group_name(role))


@transaction.atomic
def person_role_change(*, person: Person, role: str, by) -> Person:
    """The one way a person's role changes: the role (with history naming `by`) and the account's group
    move together. Pages gate on the role at once (registry.roles.has_role); the group serves the admin."""
    if role not in Person.Role.values:
        raise ValidationError("役割を選んでください。")
    if role not in ROLES_BY_BODY_KIND.get(person.body.kind, []):
        raise ValidationError(
            f"「{Person.Role(role).label}」は{person.body.get_kind_display()}の担当者には設定できません。"
        )
    person.role = role
    save_tracked(person, by=by, update_fields=["role"])
    user = person.user
    user.groups.remove(*Group.objects.filter(name__in=[group_name(r) for r in Person.Role.values]))
    user.groups.add(role_group(role))
    return person


def _account_deactivate(user) -> None:
    # accounts.receivers ends every session of the account as the row is saved.
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])


@transaction.atomic
def person_end(*, person: Person, left_on, by) -> Person:
    """End a person's membership: `left_on` is the first day they no longer act for the network.

    From that day they are signed out and cannot sign in (the account is deactivated at once when the day
    has come, else by `manage.py end_memberships` on the day); the person and every record stay, as
    Art. 10 binds former members too.
    """
    person = Person.objects.select_for_update().select_related("user", "body").get(pk=person.pk)
    today = timezone.localdate()
    if person.left_on is not None and person.left_on <= today:
        raise ValidationError("この担当者の登録は既に終了しています。")
    if left_on < person.started_on:
        raise ValidationError("終了日は開始日以降の日付にしてください。")
    person.left_on = left_on
    save_tracked(person, by=by, update_fields=["left_on"])
    if left_on <= today:
        _account_deactivate(person.user)
    return person


def memberships_end_due(*, on=None, by) -> int:
    """Deactivate the accounts of people whose leaving day has come (run daily); returns how many."""
    on = on or timezone.localdate()
    due = Person.objects.select_related("user").filter(left_on__lte=on, user__is_active=True)
    count = 0
    for person in due:
        with transaction.atomic():
            _account_deactivate(person.user)
        count += 1
    return count


def sync_role_groups() -> None:
    """Create or update one group per role with exactly the permissions of ROLE_PERMISSIONS."""
    from django.contrib.auth.models import Permission

    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name(role))
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)


@transaction.atomic
def pledge_accept(*, person: Person, version: PledgeVersion, ip: str | None, by) -> PersonPledge:
    """Record that `person` accepted `version`; accepting twice keeps the first record."""
    existing = PersonPledge.objects.filter(person=person, version=version).first()
    if existing is not None:
        return existing
    pledge = PersonPledge(person=person, version=version, ip=ip)
    return save_tracked(pledge, by=by)


@transaction.atomic
def body_pledge_record(
    *, body: Body, version: PledgeVersion, accepted_at, accepted_by_name: str, source: str, by
) -> BodyPledge:
    pledge = BodyPledge(
        body=body,
        version=version,
        accepted_at=accepted_at,
        accepted_by_name=accepted_by_name,
        source=source,
        recorded_by=by,
    )
    return save_tracked(pledge, by=by)


# --- registered businesses: applications, approval, self-service, withdrawal -----------------------------

REVISE_SALT = "registry.application.revise"
REVISE_MAX_AGE = 30 * 24 * 3600
# Fields a business member may change about their own body; changes to the first four are flagged.
BUSINESS_FLAGGED_FIELDS = ["name", "name_kana", "postal_code", "address"]
BUSINESS_EDITABLE_FIELDS = [
    *BUSINESS_FLAGGED_FIELDS,
    "business_kind",
    "representative",
    "in_city",
    "phone",
    "email",
    "website",
    "activity_other",
    "roster_consent",
    "roster_show_address",
    "roster_show_phone",
    "roster_show_email",
    "roster_show_website",
    "roster_show_representative",
]
# Suffixes and legal forms that say nothing about which business it is.
NAME_NOISE = re.compile(
    r"株式会社|有限会社|合同会社|一般社団法人|公益社団法人|一般財団法人|公益財団法人|特定非営利活動法人|"
    r"npo法人|医療法人社団|医療法人財団|医療法人|社会福祉法人|\(株\)|\(有\)|[\s・,.\-ー]"
)


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """One-time password-set links for new business members; useless once the account is deactivated."""

    key_salt = "registry.services.ActivationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


activation_token = ActivationTokenGenerator()


def _next_reference(day) -> str:
    """The next application number of the fiscal year holding `day`, e.g. R7-S0007 (S: 申請), in the era
    style of the information and case numbers.

    The counter row is locked until the submitting transaction commits, so two
    submissions never read the same value.
    """
    year = fiscal_year(day)
    ReferenceCounter.objects.get_or_create(fiscal_year=year)
    counter = ReferenceCounter.objects.select_for_update().get(fiscal_year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{fiscal_year_code(year)}-S{counter.last:04d}"


def revise_token(application: Application) -> str:
    return signing.dumps([str(application.uuid), application.revision], salt=REVISE_SALT)


def application_for_revise_token(token: str) -> Application | None:
    """The application a revise link points at, while it still awaits changes; None for any other link."""
    try:
        uuid_str, revision = signing.loads(token, salt=REVISE_SALT, max_age=REVISE_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return Application.objects.filter(
        uuid=uuid_str, revision=revision, status=Application.Status.CHANGES_REQUESTED
    ).first()


@transaction.atomic
def application_submit(*, data: dict, ip: str | None) -> Application:
    """Store a pending application from the public form; nothing in it grants any access."""
    application = Application(
        **data,
        reference=_next_reference(timezone.localdate()),
        pledge_version=PledgeVersion.current(),
        ip=ip,
    )
    application.duplicate_hints = find_duplicates(application)
    application.full_clean()
    application.save()
    emails.application_received(application)
    emails.secretariat_application_submitted(application)
    return application


@transaction.atomic
def application_revise(*, application: Application, data: dict, ip: str | None) -> Application:
    """The applicant's corrected application goes back to the queue; the link that allowed it stops working."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.CHANGES_REQUESTED:
        raise ValidationError("この申請は修正を受け付けていません。")
    for field, value in data.items():
        setattr(application, field, value)
    application.status = Application.Status.PENDING
    application.revision += 1
    application.ip = ip
    application.duplicate_hints = find_duplicates(application)
    application.full_clean()
    application.save(update_fields=[*data, "status", "revision", "ip", "duplicate_hints"])
    emails.application_received(application, revised=True)
    emails.secretariat_application_submitted(application)
    return application


def _locked_application(application: Application, *allowed: str) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in allowed:
        raise ValidationError(f"この申請は「{application.get_status_display()}」のため、この操作はできません。")
    return application


def _decide(application: Application, *, status: str, reason: str, by, body: Body | None = None) -> None:
    application.status = status
    application.decision_reason = reason
    application.decided_at = timezone.now()
    application.decided_by = by
    fields = ["status", "decision_reason", "decided_at", "decided_by"]
    if body is not None:
        application.body = body
        fields.append("body")
    save_tracked(application, by=by, update_fields=fields)


def _username_for(email: str) -> str:
    User = get_user_model()
    if not User.objects.filter(username__iexact=email).exists():
        return email
    n = 2
    while User.objects.filter(username__iexact=f"{email}-{n}").exists():
        n += 1
    return f"{email}-{n}"


def activation_path(user) -> str:
    return reverse(
        "registry:activate",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": activation_token.make_token(user)},
    )


@transaction.atomic
def application_approve(*, application: Application, by) -> Application:
    """Enter the business in the registry with a business-member account for its contact and send them a link."""
    application = _locked_application(application, Application.Status.PENDING)
    if Body.objects.filter(kind=Body.Kind.BUSINESS, name=application.name).exists():
        raise ValidationError("同じ名称の登録事業所が既にあります。重複でないか確認してください。")
    body = Body(
        kind=Body.Kind.BUSINESS,
        name=application.name,
        name_kana=application.name_kana,
        business_kind=application.business_kind,
        representative=application.representative,
        postal_code=application.postal_code,
        address=application.address,
        in_city=application.in_city,
        phone=application.phone,
        email=application.email,
        website=application.website,
        activity_other=application.activity_other,
        joined_on=timezone.localdate(),
        **{field: getattr(application, field) for field in ["roster_consent", *ROSTER_SHOW_FIELDS]},
    )
    save_tracked(body, by=by)
    _activities_set(body=body, activities=application.activities, by=by)
    user = get_user_model()(username=_username_for(application.email), email=application.email)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    person_create(
        user=user,
        body=body,
        role=Person.Role.BUSINESS_MEMBER,
        name=application.contact_name,
        name_kana=application.contact_kana,
        phone=application.phone,
        by=by,
    )
    body_pledge_record(
        body=body,
        version=application.pledge_version,
        accepted_at=application.submitted_at,
        accepted_by_name=application.representative,
        source=BodyPledge.Source.SIGNUP,
        by=by,
    )
    _decide(application, status=Application.Status.APPROVED, reason="", by=by, body=body)
    emails.activation(user, path=activation_path(user), reference=application.reference, name=application.name)
    return application


def person_awaits_activation(person: Person) -> bool:
    """A current person who has never set a password (their emailed link may have expired)."""
    user = person.user
    return person.is_current and user.email != "" and user.last_login is None and not user.has_usable_password()


@transaction.atomic
def person_activation_send(*, person: Person, by) -> Person:
    """Email a fresh one-time password-set link to a person who has not used theirs."""
    person = Person.objects.select_related("user", "body").get(pk=person.pk)
    if not person_awaits_activation(person):
        raise ValidationError("この担当者にはパスワード設定のリンクを送れません。")
    application = person.body.applications.filter(status=Application.Status.APPROVED).first()
    # The approval's wording only for the contact named in the application; a colleague gets the plain one.
    from_application = application is not None and application.email.lower() == person.user.email.lower()
    emails.activation(
        person.user,
        path=activation_path(person.user),
        reference=application.reference if from_application else "",
        name=person.body.name,
    )
    return person


@transaction.atomic
def application_request_changes(*, application: Application, reason: str, by) -> Application:
    application = _locked_application(application, Application.Status.PENDING)
    _decide(application, status=Application.Status.CHANGES_REQUESTED, reason=reason, by=by)
    emails.application_changes_requested(
        application, path=reverse("registry:application_revise", kwargs={"token": revise_token(application)})
    )
    return application


@transaction.atomic
def application_reject(*, application: Application, reason: str, by) -> Application:
    application = _locked_application(application, Application.Status.PENDING, Application.Status.CHANGES_REQUESTED)
    _decide(application, status=Application.Status.REJECTED, reason=reason, by=by)
    emails.application_rejected(application)
    return application


@dataclass
class DuplicateHint:
    label: str
    url: str
    reasons: list[str]


def _name_key(value: str) -> str:
    return NAME_NOISE.sub("", unicodedata.normalize("NFKC", value or "").lower())


def _names_similar(a: str, b: str) -> bool:
    a, b = _name_key(a), _name_key(b)
    if not a or not b:
        return False
    if a == b or (min(len(a), len(b)) >= 3 and (a in b or b in a)):
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


def find_duplicates(application: Application) -> list[dict]:
    """Bodies and open applications with the same phone or email, or a very similar name or reading, as
    `{"body": pk, "reasons": [...]}` / `{"application": pk, ...}`. Compares against every body in Python
    (difflib), so it runs once, when the application arrives or comes back revised — not on every view."""

    def reasons_for(name, name_kana, phone, email):
        reasons = []
        if _digits(phone) and _digits(phone) == _digits(application.phone):
            reasons.append("電話番号が同じ")
        if email and email.lower() == application.email.lower():
            reasons.append("メールアドレスが同じ")
        if _names_similar(name, application.name) or _names_similar(name_kana, application.name_kana):
            reasons.append("名称が似ている")
        return reasons

    found = []
    for body in Body.objects.only("pk", "name", "name_kana", "phone", "email").order_by("pk").iterator():
        reasons = reasons_for(body.name, body.name_kana, body.phone, body.email)
        if reasons:
            found.append({"body": body.pk, "reasons": reasons})
    others = Application.objects.exclude(pk=application.pk).exclude(status=Application.Status.APPROVED)
    for other in others.only("pk", "name", "name_kana", "phone", "email").order_by("pk"):
        reasons = reasons_for(other.name, other.name_kana, other.phone, other.email)
        if reasons:
            found.append({"application": other.pk, "reasons": reasons})
    # The strongest first (an exact phone or email, then more reasons), and only as many as a person reads:
    # a common name such as 「あげお薬局」 is similar to hundreds of bodies in a grown network.
    found.sort(key=lambda hint: (not set(hint["reasons"]) & EXACT_REASONS, -len(hint["reasons"])))
    return found[:MAX_DUPLICATE_HINTS]


MAX_DUPLICATE_HINTS = 20
EXACT_REASONS = {"電話番号が同じ", "メールアドレスが同じ"}


def application_duplicate_hints(application: Application) -> list[DuplicateHint]:
    """The stored duplicate hints with today's names and states (two queries). Once the application is
    approved, the body it became is no duplicate of it."""
    stored = (application.duplicate_hints or [])[:MAX_DUPLICATE_HINTS]  # rows stored before the cap, too
    body_ids = [hint["body"] for hint in stored if "body" in hint and hint["body"] != application.body_id]
    bodies = Body.objects.only("pk", "name", "status").in_bulk(body_ids)
    others = Application.objects.only("pk", "uuid", "reference", "name", "status").in_bulk(
        [hint["application"] for hint in stored if "application" in hint]
    )
    hints = []
    for hint in stored:
        if "body" in hint and hint["body"] in bodies:
            body = bodies[hint["body"]]
            label = f"構成機関：{body.name}（{body.get_status_display()}）"
            hints.append(DuplicateHint(label, body.get_absolute_url(), hint["reasons"]))
        elif "application" in hint and hint["application"] in others:
            other = others[hint["application"]]
            label = f"申請 {other.reference}：{other.name}（{other.get_status_display()}）"
            hints.append(DuplicateHint(label, other.get_absolute_url(), hint["reasons"]))
    return hints


def _activities_set(*, body: Body, activities: list[str], by) -> None:
    wanted = set(activities)
    for row in list(body.activities.all()):
        if row.activity in wanted:
            wanted.discard(row.activity)
        else:
            row._history_user = by
            row.delete()
    for activity in sorted(wanted):
        row = BodyActivity(body=body, activity=activity)
        save_tracked(row, by=by)


@transaction.atomic
def business_profile_update(*, body: Body, data: dict, activities: list[str], by) -> Body:
    """A business member's change to their own body. A new name or address waits for the secretariat's check."""
    unknown = set(data) - set(BUSINESS_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError("変更できない項目が含まれています。")
    body = Body.objects.select_for_update().get(pk=body.pk)
    if not body.is_active or body.kind != Body.Kind.BUSINESS:
        raise ValidationError("この機関の情報はここでは変更できません。")
    changed = [field for field, value in data.items() if getattr(body, field) != value]
    for field in changed:
        setattr(body, field, data[field])
    flagged = any(field in BUSINESS_FLAGGED_FIELDS for field in changed)
    if flagged and not body.needs_review:
        body.needs_review = True
        changed.append("needs_review")
    if changed:
        save_tracked(body, by=by, update_fields=changed)
    _activities_set(body=body, activities=activities, by=by)
    if flagged:
        emails.secretariat_body_review(body)
    return body


@transaction.atomic
def body_review_clear(*, body: Body, by) -> Body:
    body = Body.objects.select_for_update().get(pk=body.pk)
    if body.needs_review:
        body.needs_review = False
        save_tracked(body, by=by, update_fields=["needs_review"], clean=False)
    return body


@transaction.atomic
def withdrawal_request_create(*, body: Body, wished_on, reason: str, by) -> WithdrawalRequest:
    body = Body.objects.select_for_update().get(pk=body.pk)
    if not body.is_active:
        raise ValidationError("この機関は既に退会しています。")
    if body.withdrawal_requests.filter(processed_at__isnull=True).exists():
        raise ValidationError("退会の申出は既に受け付けています。事務局からの連絡をお待ちください。")
    request = WithdrawalRequest(body=body, requested_by=by, wished_on=wished_on, reason=reason)
    save_tracked(request, by=by)
    emails.secretariat_withdrawal_requested(body)
    return request


@transaction.atomic
def body_withdraw(*, body: Body, left_on, reason: str, by) -> Body:
    """The body becomes a former member; its people are deactivated at once. Every record stays."""
    body = Body.objects.select_for_update().get(pk=body.pk)
    if not body.is_active:
        raise ValidationError("この機関は既に退会しています。")
    if body.is_city:
        raise ValidationError("市の拠点・部署は退会の対象ではありません。")
    if body.joined_on and left_on < body.joined_on:
        raise ValidationError("退会日は加入日以降の日付にしてください。")
    body.status = Body.Status.FORMER
    body.left_on = left_on
    body.left_reason = reason
    save_tracked(body, by=by, update_fields=["status", "left_on", "left_reason"])
    for person in body.people.select_related("user").filter(left_on__isnull=True):
        person.left_on = max(left_on, person.started_on)
        save_tracked(person, by=by, update_fields=["left_on"])
    for person in body.people.select_related("user").filter(user__is_active=True):
        _account_deactivate(person.user)
    for open_request in body.withdrawal_requests.filter(processed_at__isnull=True):
        open_request.processed_at = timezone.now()
        save_tracked(open_request, by=by, update_fields=["processed_at"], clean=False)
    return body


# --- people of the bodies (人事異動) ---------------------------------------------------------------------------


def _account_new(email: str):
    """A new account with no password yet: the person sets one through the emailed link."""
    User = get_user_model()
    if User.objects.filter(email__iexact=email, is_active=True).exists():
        raise ValidationError("このメールアドレスのアカウントは既にあります。別のアドレスを入力してください。")
    user = User(username=_username_for(email), email=email)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def person_add(*, body: Body, name: str, name_kana: str, email: str, role: str, title: str = "", by) -> Person:
    """A new person of `body` with an account and a set-password mail; the second factor is set up at the
    first sign-in for the roles that have one."""
    body = Body.objects.select_for_update().get(pk=body.pk)
    if not body.is_active:
        raise ValidationError("退会した機関には担当者を追加できません。")
    if role not in ROLES_BY_BODY_KIND.get(body.kind, []):
        raise ValidationError(f"「{Person.Role(role).label}」は{body.get_kind_display()}の担当者には設定できません。")
    user = _account_new(email)
    person = person_create(
        user=user,
        body=body,
        role=role,
        name=name,
        name_kana=name_kana,
        title=title,
        started_on=timezone.localdate(),
        by=by,
    )
    emails.activation(user, path=activation_path(user), reference="", name=body.name)
    return person


def current_people_count(body: Body) -> int:
    return Person.objects.current().filter(body=body).count()


@transaction.atomic
def colleague_invite(*, body: Body, name: str, name_kana: str, email: str, by) -> Person:
    """A registered business adds a colleague, within the number the secretariat set; the secretariat is told."""
    body = Body.objects.select_for_update().get(pk=body.pk)
    if body.kind != Body.Kind.BUSINESS:
        raise ValidationError("担当者を追加できるのは登録事業所だけです。")
    if current_people_count(body) >= body.people_limit:
        raise ValidationError(
            f"担当者は{body.people_limit}人までです。増やす必要がある場合はネットワーク事務局にご相談ください。"
        )
    person = person_add(body=body, name=name, name_kana=name_kana, email=email, role=Person.Role.BUSINESS_MEMBER, by=by)
    emails.secretariat_people_changed(body)
    return person


@transaction.atomic
def colleague_end(*, person: Person, by) -> Person:
    """A business member ends a colleague's access today (not their own: that is a withdrawal or the
    secretariat's); the secretariat is told."""
    if person.user_id == by.pk:
        raise ValidationError("ご自身の登録はここでは終了できません。ネットワーク事務局にご連絡ください。")
    person = person_end(person=person, left_on=timezone.localdate(), by=by)
    emails.secretariat_people_changed(person.body)
    return person


@transaction.atomic
def people_limit_set(*, body: Body, limit: int, by) -> Body:
    body = Body.objects.select_for_update().get(pk=body.pk)
    if body.kind != Body.Kind.BUSINESS:
        raise ValidationError("担当者の上限は登録事業所にだけ設定します。")
    if body.people_limit != limit:
        body.people_limit = limit
        save_tracked(body, by=by, update_fields=["people_limit"])
    return body


# --- the 年度替わり review (staff rotate on 1 April) ------------------------------------------------------------


def review_year(today=None) -> int:
    """The fiscal year the review prepares for: the one that begins on the next 1 April."""
    today = today or timezone.localdate()
    return fiscal_year(today) + 1


def review_leaving_day(year: int):
    """People who leave "on 31 March" stop acting for the network from 1 April (Person.left_on)."""
    import datetime

    return datetime.date(year, 4, 1)


@transaction.atomic
def annual_review_answer(*, body: Body, year: int, continuing: dict[int, bool], by) -> AnnualReview:
    """Record a body's answer and end, on 31 March, the membership of each person who leaves.

    `continuing` maps every current person of the body to True (continues) or False (leaves)."""
    body = Body.objects.select_for_update().get(pk=body.pk)
    if AnnualReview.objects.filter(body=body, fiscal_year=year).exists():
        raise ValidationError("この機関の年度替わりの確認は回答済みです。")
    people = list(Person.objects.current().filter(body=body).select_related("user"))
    if {p.pk for p in people} != set(continuing):
        raise ValidationError("担当者の一覧が変わりました。画面を開き直して、もう一度回答してください。")
    review = save_tracked(AnnualReview(body=body, fiscal_year=year, answered_by=by), by=by)
    leaving_day = review_leaving_day(year)
    for person in people:
        save_tracked(AnnualReviewEntry(review=review, person=person, continues=continuing[person.pk]), by=by)
        if not continuing[person.pk] and (person.left_on is None or person.left_on > leaving_day):
            person_end(person=person, left_on=max(leaving_day, person.started_on), by=by)
    return review


def review_bodies():
    """The bodies asked to answer: active, with at least one current person."""
    return Body.objects.active().filter(pk__in=Person.objects.current().values("body_id")).order_by("kind", "name_kana")


def annual_review_remind(*, year: int, by) -> int:
    """Mail each current person of every body that has not answered; returns the number of bodies reminded."""
    answered = AnnualReview.objects.filter(fiscal_year=year).values("body_id")
    waiting = review_bodies().exclude(pk__in=answered)
    for body in waiting:
        emails.annual_review_reminder(body, year=year)
    return len(waiting)
