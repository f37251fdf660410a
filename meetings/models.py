"""Meetings of 要綱 Art. 7–9: scheduling, invitations per body, attendance, agenda and minutes.

An Art. 9 meeting (個別ケース検討会議) is closed: its title never names anyone, its pages and minutes
are on the case side of the audit, and the cases on its agenda are reached only through
cases.access (the meeting basis, meetings/access.py).
"""

import datetime
import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ageo_network.wareki import era_year, fiscal_year, year_label
from cases.fields import EncryptedJSONField

NETWORK_NAME = "上尾市困難女性支援ネットワーク"


class Matter(models.TextChoices):
    """The matters of Art. 7–9 an agenda item falls under (each article lists its own three)."""

    ORGANISATION = "organisation", "ネットワークの組織及び運営に関すること"
    COOPERATION = "cooperation", "構成機関等の相互の連携に関すること"
    SUPPORT = "support", "困難な問題を抱える女性への支援に関すること"
    COMMUNITY = "community", "地域における支援を促進するための活動に関すること"
    CASE_STATE = "case_state", "個別の事例に係る女性の心身の状況、生活環境その他の状況の把握に関すること"
    CASE_SUPPORT = "case_support", "当該事例に係る支援に関すること"
    CASE_OTHER = "case_other", "その他当該事例に関し必要な事項"


class MeetingCounter(models.Model):
    """The last meeting number given per type and fiscal year; locked row by row so numbers never collide."""

    kind = models.CharField("種類", max_length=20)
    fiscal_year = models.PositiveIntegerField("年度（西暦の開始年）")
    last = models.PositiveIntegerField("最後の回", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "会議の回数"
        verbose_name_plural = "会議の回数"
        constraints = [
            models.UniqueConstraint(fields=["kind", "fiscal_year"], name="meetings_counter_unique_kind_year")
        ]

    def __str__(self):
        return f"{self.kind} {self.fiscal_year}: {self.last}"


class Meeting(models.Model):
    """One meeting of Art. 7, 8 or 9, numbered per fiscal year and type (第1回…)."""

    class Kind(models.TextChoices):
        REPRESENTATIVES = "representatives", "代表者会議"
        PRACTITIONERS = "practitioners", "実務者会議"
        CASE_REVIEW = "case_review", "個別ケース検討会議"

    class Status(models.TextChoices):
        PLANNED = "planned", "予定"
        CANCELLED = "cancelled", "中止"

    ARTICLES = {Kind.REPRESENTATIVES: 7, Kind.PRACTITIONERS: 8, Kind.CASE_REVIEW: 9}
    MATTERS = {
        Kind.REPRESENTATIVES: [Matter.ORGANISATION, Matter.COOPERATION, Matter.SUPPORT],
        Kind.PRACTITIONERS: [Matter.ORGANISATION, Matter.COOPERATION, Matter.COMMUNITY],
        Kind.CASE_REVIEW: [Matter.CASE_STATE, Matter.CASE_SUPPORT, Matter.CASE_OTHER],
    }

    uuid = models.UUIDField("ID", default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField("種類", max_length=20, choices=Kind.choices)
    fiscal_year = models.PositiveIntegerField("年度", editable=False)
    number = models.PositiveIntegerField("回", editable=False)
    date = models.DateField("開催日")
    start_time = models.TimeField("開始時刻")
    end_time = models.TimeField("終了時刻")
    place = models.CharField("場所", max_length=200, blank=True)
    online_url = models.URLField("オンライン参加のURL", blank=True)
    organiser = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="meetings_organised", verbose_name="主催者"
    )
    chair = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_chaired",
        verbose_name="議長",
    )
    answer_by = models.DateField("出欠の回答期限", null=True, blank=True)
    status = models.CharField("状態", max_length=10, choices=Status.choices, default=Status.PLANNED)
    sequence = models.PositiveIntegerField("変更の回数（iCalendar SEQUENCE）", default=0, editable=False)
    invitations_sent_at = models.DateTimeField("招集通知の送付日時", null=True, blank=True, editable=False)
    next_meeting = models.CharField("次回予定", max_length=300, blank=True)
    created_at = models.DateTimeField("作成日時", default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "会議"
        verbose_name_plural = "会議"
        ordering = ["-date", "-start_time", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "fiscal_year", "number"], name="meetings_meeting_unique_number"),
            models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="meetings_meeting_times"),
            models.CheckConstraint(condition=~Q(place="", online_url=""), name="meetings_meeting_place_or_link"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", args=[self.uuid])

    @property
    def article(self) -> int:
        return self.ARTICLES[self.kind]

    @property
    def is_case_review(self) -> bool:
        return self.kind == self.Kind.CASE_REVIEW

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def title(self) -> str:
        """The city's style: 令和6年度 第1回 上尾市困難女性支援ネットワーク代表者会議. An Art. 9 meeting is
        個別ケース検討会議（第3回）: never a name, never a case number."""
        if self.is_case_review:
            return f"個別ケース検討会議（第{self.number}回）"
        name, year = era_year(datetime.date(self.fiscal_year, 12, 31))
        return f"{year_label(name, year)}度 第{self.number}回 {NETWORK_NAME}{self.get_kind_display()}"

    @property
    def starts_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date, self.start_time))

    @property
    def ends_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date, self.end_time))

    def matter_choices(self) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in self.MATTERS[self.kind]]

    @staticmethod
    def fiscal_year_of(day: datetime.date) -> int:
        return fiscal_year(day)


class Invitation(models.Model):
    """A body invited to a meeting, and its answer: who of its people attend, or a decline."""

    class Status(models.TextChoices):
        PENDING = "pending", "未回答"
        ATTENDING = "attending", "出席"
        DECLINED = "declined", "欠席"

    uuid = models.UUIDField("ID", default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="invitations", verbose_name="会議")
    body = models.ForeignKey(
        "registry.Body", on_delete=models.PROTECT, related_name="meeting_invitations", verbose_name="構成機関"
    )
    status = models.CharField("回答", max_length=10, choices=Status.choices, default=Status.PENDING)
    answered_at = models.DateTimeField("回答日時", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="回答者",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "招集"
        verbose_name_plural = "招集"
        ordering = ["body__kind", "body__name_kana", "body__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "body"], name="meetings_invitation_unique_body"),
        ]

    def __str__(self):
        return f"{self.meeting_id}/{self.body_id}"


class Attendee(models.Model):
    """A person expected at a meeting (named by their body's answer), or an external attendee of an Art. 9
    meeting (no account, no access; the organiser records presence and the paper pledge)."""

    class Attendance(models.TextChoices):
        EXPECTED = "expected", "未記録"
        PRESENT = "present", "出席"
        ABSENT = "absent", "欠席"
        LATE = "late", "遅刻"
        LEFT_EARLY = "left_early", "早退"

    PRESENT_STATES = [Attendance.PRESENT, Attendance.LATE, Attendance.LEFT_EARLY]

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendees", verbose_name="会議")
    invitation = models.ForeignKey(
        Invitation, on_delete=models.PROTECT, null=True, blank=True, related_name="attendees", verbose_name="招集"
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_attendances",
        verbose_name="出席者",
    )
    external_name = models.CharField("外部出席者の氏名", max_length=100, blank=True)
    external_affiliation = models.CharField("外部出席者の所属", max_length=200, blank=True)
    pledge_received = models.BooleanField("守秘義務の誓約書（紙）を受領", default=False)
    attendance = models.CharField("出欠", max_length=12, choices=Attendance.choices, default=Attendance.EXPECTED)
    withdrawn = models.BooleanField("出席予定の取消", default=False)
    minutes_confirmed_at = models.DateTimeField("会議録（案）を確認した日時", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "出席者"
        verbose_name_plural = "出席者"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, external_name="") | Q(person__isnull=True) & ~Q(external_name=""),
                name="meetings_attendee_person_or_external",
            ),
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(person__isnull=False, withdrawn=False),
                name="meetings_attendee_unique_person",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def is_external(self) -> bool:
        return self.person_id is None

    @property
    def display_name(self) -> str:
        return self.external_name if self.is_external else self.person.name

    @property
    def affiliation(self) -> str:
        return self.external_affiliation if self.is_external else self.person.body.name

    @property
    def was_present(self) -> bool:
        return self.attendance in self.PRESENT_STATES


class AgendaItem(models.Model):
    """One item of the agenda, under one matter of the meeting's article, with its part of the minutes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="agenda_items", verbose_name="会議")
    position = models.PositiveSmallIntegerField("順番")
    title = models.CharField("議題", max_length=200)
    matter = models.CharField("協議事項（要綱）", max_length=20, choices=Matter.choices)
    presenter = models.CharField("説明者", max_length=100, blank=True)
    planned_minutes = models.PositiveSmallIntegerField("予定時間（分）", null=True, blank=True)
    discussion = models.TextField("議事の経過", blank=True)
    decisions = models.TextField("決定事項", blank=True)
    # Art. 9 only: the case this item reviews (its number is the only name the meeting ever uses).
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_agenda_items",
        verbose_name="ケース",
    )
    # The support-plan item the hub made of this item's decision (Art. 9), linked back to the decision.
    plan_item = models.OneToOneField(
        "cases.PlanItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_decision",
        verbose_name="支援計画の項目",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "議題"
        verbose_name_plural = "議題"
        ordering = ["meeting", "position", "id"]

    def __str__(self):
        return f"{self.position}. {self.title}"


class FollowUpAction(models.Model):
    """Who (a body) does what by when, decided under an agenda item; open until the body marks it done."""

    class Status(models.TextChoices):
        OPEN = "open", "未完了"
        DONE = "done", "完了"

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="actions", verbose_name="議題")
    body = models.ForeignKey(
        "registry.Body", on_delete=models.PROTECT, related_name="meeting_actions", verbose_name="担当する機関"
    )
    description = models.CharField("内容", max_length=300)
    due_on = models.DateField("期日")
    status = models.CharField("状況", max_length=10, choices=Status.choices, default=Status.OPEN)
    done_at = models.DateTimeField("完了日時", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "役割分担（フォローアップ）"
        verbose_name_plural = "役割分担（フォローアップ）"
        ordering = ["due_on", "id"]

    def __str__(self):
        return f"{self.body_id}: {self.due_on}"


class Minutes(models.Model):
    """The minutes of one meeting and their lifecycle: draft → circulated → approved → locked.

    Approval renders the PDF once (in the worker); storing it locks the minutes for good. A later
    correction is an Erratum, numbered, with its reason."""

    class Status(models.TextChoices):
        DRAFT = "draft", "作成中"
        CIRCULATED = "circulated", "確認依頼中"
        APPROVED = "approved", "承認済み（PDF作成中）"
        LOCKED = "locked", "確定"

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="minutes", verbose_name="会議")
    status = models.CharField("状態", max_length=12, choices=Status.choices, default=Status.DRAFT)
    circulated_at = models.DateTimeField("確認依頼日時", null=True, blank=True)
    confirm_by = models.DateField("確認の期限", null=True, blank=True)
    approved_at = models.DateTimeField("承認日時", null=True, blank=True)
    approved_by = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="承認者"
    )
    content_sha256 = models.CharField("承認した内容のSHA-256", max_length=64, blank=True)
    pdf_path = models.CharField("保存したPDF", max_length=300, blank=True)
    pdf_sha256 = models.CharField("保存したPDFのSHA-256", max_length=64, blank=True)
    locked_at = models.DateTimeField("確定日時", null=True, blank=True)
    published_at = models.DateTimeField("公開日時", null=True, blank=True)
    reminded_at = models.DateTimeField("確認の催促を送った日時", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "会議録"
        verbose_name_plural = "会議録"
        constraints = [
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(status="locked"), name="meetings_minutes_published_locked"
            ),
        ]

    def __str__(self):
        return f"会議録 {self.meeting_id}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.CIRCULATED)

    @property
    def is_final(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.LOCKED)


class Correction(models.Model):
    """An attendee's proposed correction to one agenda item of circulated minutes, and the organiser's decision."""

    class Status(models.TextChoices):
        OPEN = "open", "検討中"
        ACCEPTED = "accepted", "反映"
        ANSWERED = "answered", "回答（反映しない）"

    uuid = models.UUIDField("ID", default=uuid.uuid4, unique=True, editable=False)
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="corrections", verbose_name="議題"
    )
    proposed_by = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name="提案者"
    )
    proposed_at = models.DateTimeField("提案日時", default=timezone.now)
    text = models.TextField("修正の提案")
    status = models.CharField("状況", max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField("主催者の回答", blank=True)
    decided_at = models.DateTimeField("判断日時", null=True, blank=True)
    decided_by = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="判断者"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "会議録の修正提案"
        verbose_name_plural = "会議録の修正提案"
        ordering = ["proposed_at", "id"]

    def __str__(self):
        return f"修正提案 {self.pk}"


class Erratum(models.Model):
    """A numbered 訂正 of locked minutes, with its reason; shown with the minutes, never rewriting them."""

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="errata", verbose_name="会議録")
    number = models.PositiveSmallIntegerField("訂正の番号")
    reason = models.CharField("理由", max_length=300)
    text = models.TextField("訂正の内容")
    created_at = models.DateTimeField("訂正日時", default=timezone.now)
    created_by = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name="訂正した者"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "会議録の訂正"
        verbose_name_plural = "会議録の訂正"
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["minutes", "number"], name="meetings_erratum_unique_number")]

    def __str__(self):
        return f"訂正{self.number}"


class Material(models.Model):
    """A file attached to an agenda item (PDF, xlsx, docx, image), checked by content and kept outside the web root."""

    uuid = models.UUIDField("ID", default=uuid.uuid4, unique=True, editable=False)
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="materials", verbose_name="議題")
    title = models.CharField("資料名", max_length=200)
    path = models.CharField("保存先", max_length=300, editable=False)
    content_type = models.CharField("種類", max_length=120, editable=False)
    size = models.PositiveIntegerField("大きさ（バイト）", editable=False)
    sha256 = models.CharField("SHA-256", max_length=64, editable=False)
    uploaded_at = models.DateTimeField("登録日時", default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登録者"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "会議資料"
        verbose_name_plural = "会議資料"
        ordering = ["agenda_item", "uploaded_at", "id"]

    def __str__(self):
        return self.title


class CalendarToken(models.Model):
    """A person's secret calendar-feed address; revoking it ends the feed, a new one is a new secret. Only the
    SHA-256 of the secret is stored (like a password): a copy of the database does not open anyone's feed, and
    the address is shown once, when it is issued."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="calendar_tokens", verbose_name="担当者"
    )
    token_hash = models.CharField("トークンのハッシュ", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("発行日時", default=timezone.now)
    revoked_at = models.DateTimeField("無効にした日時", null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        verbose_name = "カレンダー配信のURL"
        verbose_name_plural = "カレンダー配信のURL"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(revoked_at__isnull=True), name="meetings_calendartoken_one_active"
            )
        ]

    def __str__(self):
        return f"{self.person_id} {self.created_at:%Y-%m-%d}"

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()


class ReviewSheet(models.Model):
    """The case-review sheet of one case on an Art. 9 agenda: the fields the hub ticked for the attendees,
    snapshotted as for a referral packet (never the address while address protection is in force)."""

    uuid = models.UUIDField("ID", default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="review_sheets", verbose_name="会議")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="review_sheets", verbose_name="ケース"
    )
    fields = models.JSONField("載せた項目", default=list)
    packet = EncryptedJSONField("検討シートの内容", blank=True)
    address_protected = models.BooleanField("作成時に住民票の支援措置が実施中", default=False)
    prepared_at = models.DateTimeField("作成日時", default=timezone.now)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="作成者"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "ケース検討シート"
        verbose_name_plural = "ケース検討シート"
        ordering = ["meeting", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "case"], name="meetings_reviewsheet_unique_case")]

    def __str__(self):
        return f"検討シート {self.pk}"

    def packet_rows(self) -> list[tuple[str, str]]:
        from cases.models import PacketField

        return [(label, self.packet.get(code, "")) for code, label in PacketField.choices if code in self.packet]


class DutyConfirmation(models.Model):
    """A signed-in attendee's confirmation of the Art. 10 duty for one meeting, before opening its materials."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="duty_confirmations", verbose_name="会議"
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="meeting_duty_confirmations", verbose_name="担当者"
    )
    confirmed_at = models.DateTimeField("確認日時", default=timezone.now)
    ip = models.GenericIPAddressField("IPアドレス", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "守秘義務の確認（会議）"
        verbose_name_plural = "守秘義務の確認（会議）"
        ordering = ["-confirmed_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="meetings_dutyconfirmation_unique_person")
        ]

    def __str__(self):
        return f"{self.meeting_id}/{self.person_id}"
