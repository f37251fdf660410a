"""The hub's confidential case work: information from partners, the case file and everything done in it.

Personal data and every free-text narrative live in EncryptedTextField columns (cases/fields.py);
searching by name goes through `reading_hash`. Views reach these objects only through cases/access.py.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.fields import EncryptedJSONField, EncryptedTextField


class RiskLevel(models.TextChoices):
    URGENT = "urgent", "緊急"
    HIGH = "high", "高"
    MEDIUM = "medium", "中"
    LOW = "low", "低"


RISK_ORDER = {RiskLevel.URGENT: 0, RiskLevel.HIGH: 1, RiskLevel.MEDIUM: 2, RiskLevel.LOW: 3}


class ProblemCategory(models.TextChoices):
    SEXUAL_VIOLENCE = "sexual_violence", "性暴力・性犯罪被害"
    SEXUAL_EXPLOITATION = "sexual_exploitation", "性的搾取"
    DV = "dv", "配偶者等からの暴力（DV）"
    DIVORCE = "divorce", "離婚"
    POVERTY = "poverty", "生活困窮"
    DISABILITY = "disability", "身体・知的障害"
    MENTAL_ILLNESS = "mental_illness", "精神疾患"
    FOREIGN_NATIONALITY = "foreign_nationality", "外国籍"
    FAMILY_BREAKDOWN = "family_breakdown", "家族関係の破綻"
    SINGLE_PARENT = "single_parent", "ひとり親"
    ISOLATION = "isolation", "孤立"
    OTHER = "other", "その他"


class NeedKind(models.TextChoices):
    SAFETY = "safety", "安全の確保"
    HOUSING = "housing", "住まい"
    INCOME = "income", "収入・生活費"
    HEALTH = "health", "心身の健康"
    CHILDREN = "children", "子ども"
    WORK = "work", "就労"
    LEGAL = "legal", "法律問題"
    RESIDENCE_STATUS = "residence_status", "在留資格"
    DEBT = "debt", "債務"
    DAILY_LIFE = "daily_life", "日常生活"
    OTHER = "other", "その他"


class ServiceKind(models.TextChoices):
    PUBLIC_HOUSING = "public_housing", "公営住宅"
    LIVELIHOOD_PROTECTION = "livelihood_protection", "生活保護"
    NEEDY_SUPPORT = "needy_support", "生活困窮者自立支援"
    CHILD_ALLOWANCE = "child_allowance", "児童扶養手当等の手当"
    TEMPORARY_PROTECTION = "temporary_protection", "一時保護"
    PRIVATE_SHELTER = "private_shelter", "民間シェルター"
    MEDICAL = "medical", "医療"
    LEGAL_ADVICE = "legal_advice", "法律相談"
    WORK_SUPPORT = "work_support", "就労支援"
    CHILDCARE = "childcare", "保育"
    SCHOOL_TRANSFER = "school_transfer", "転校・就学"
    RESIDENT_RECORD = "resident_record", "住民票のDV等支援措置"
    INSURANCE_PENSION = "insurance_pension", "国民健康保険・年金"
    TAX_RELIEF = "tax_relief", "税の減免・猶予"
    DISABILITY_WELFARE = "disability_welfare", "障害福祉"
    ELDERLY_CARE = "elderly_care", "高齢者介護"
    MATERNAL_CHILD_HEALTH = "maternal_child_health", "母子保健"
    OTHER = "other", "その他"


class PacketField(models.TextChoices):
    """What the hub may tick into a referral packet (and what a consent can cover)."""

    NAME = "name", "氏名"
    READING = "reading", "フリガナ"
    AGE = "age", "年齢・生まれ年"
    HOUSEHOLD = "household", "世帯・子ども"
    LANGUAGE = "language", "国籍・言語・通訳"
    PHONE = "phone", "電話番号"
    SAFE_CONTACT = "safe_contact", "安全な連絡方法"
    ADDRESS = "address", "住所"
    CATEGORIES = "categories", "問題の種類"
    RISK = "risk", "リスクの程度"


class NumberCounter(models.Model):
    """The last number issued per kind and fiscal year; numbers are never reused."""

    class Kind(models.TextChoices):
        CASE = "case", "ケース番号"
        INFORMATION = "information", "情報提供の受付番号"

    kind = models.CharField("種類", max_length=20, choices=Kind.choices)
    fiscal_year = models.PositiveIntegerField("年度（西暦の開始年）")
    last_value = models.PositiveIntegerField("最後に発行した番号", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "採番"
        verbose_name_plural = "採番"
        constraints = [
            models.UniqueConstraint(fields=["kind", "fiscal_year"], name="cases_numbercounter_unique_kind_year")
        ]

    def __str__(self):
        return f"{self.kind} {self.fiscal_year}: {self.last_value}"


class CaseQuerySet(models.QuerySet):
    # Which cases a user may see is decided by cases/access.py (visible_cases), not here.
    def open(self):
        return self.exclude(stage=Case.Stage.CLOSED)


class Case(models.Model):
    """One woman's case at the hub, addressed by an opaque UUID; its number is R6-0001 per fiscal year."""

    class Stage(models.TextChoices):
        DISCOVERY = "discovery", "発見・情報提供"
        CONSULTATION = "consultation", "相談"
        ASSESSMENT = "assessment", "アセスメント"
        SUPPORT = "support", "支援（保護）"
        AFTERCARE = "aftercare", "自立支援・アフターケア"
        CLOSED = "closed", "終結"

    uuid = models.UUIDField("ID", default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField("ケース番号", max_length=20, unique=True, editable=False)
    fiscal_year = models.PositiveIntegerField("年度", editable=False)
    sequence = models.PositiveIntegerField("年度内の番号", editable=False)
    opened_at = models.DateTimeField("開始日時", default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="開始した者"
    )

    # The woman
    name = EncryptedTextField("氏名", blank=True, help_text="不明なときは空欄、仮名のときは下で「仮名」を選びます。")
    name_reading = EncryptedTextField("フリガナ", blank=True)
    name_is_alias = models.BooleanField("氏名は仮名・通称", default=False)
    reading_hash = models.CharField(
        "フリガナの検索用ハッシュ", max_length=64, blank=True, db_index=True, editable=False
    )
    age = models.PositiveSmallIntegerField("年齢", null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField("生まれ年（西暦）", null=True, blank=True)
    household = EncryptedTextField("世帯の状況", blank=True)
    children_count = models.PositiveSmallIntegerField("同居の子どもの数", default=0)
    children_link = models.BooleanField(
        "子ども支援の部署と連携", default=False, help_text="子ども支援課・子ども家庭総合支援センターとの連携が必要"
    )
    nationality = EncryptedTextField("国籍", blank=True)
    language = EncryptedTextField("使用言語", blank=True)
    interpreter_needed = models.BooleanField("通訳が必要", default=False)
    phone = EncryptedTextField("電話番号", blank=True)
    address = EncryptedTextField("住所", blank=True)

    # Safe contact
    safe_contact_method = EncryptedTextField("安全な連絡方法", blank=True)
    safe_contact_times = EncryptedTextField("連絡してよい時間帯", blank=True)
    safe_contact_never = EncryptedTextField("してはならないこと", blank=True)
    no_home_calls = models.BooleanField("自宅への電話は不可", default=False)
    no_post = models.BooleanField("郵送は不可", default=False)

    # 住民票のDV等支援措置
    address_protection = models.BooleanField("住民票のDV等支援措置を実施中", default=False)
    address_protection_until = models.DateField("支援措置の期限", null=True, blank=True)
    address_protection_reminded_for = models.DateField(
        "期限前の通知を送った期限", null=True, blank=True, editable=False
    )

    # Perpetrator, kept so the centre recognises an enquiry from him
    perpetrator_name = EncryptedTextField("加害者の氏名", blank=True)
    perpetrator_reading = EncryptedTextField("加害者のフリガナ", blank=True)
    perpetrator_hash = models.CharField(
        "加害者フリガナの検索用ハッシュ", max_length=64, blank=True, db_index=True, editable=False
    )
    perpetrator_info = EncryptedTextField("加害者に関する情報", blank=True)

    categories = models.JSONField("問題の種類", default=list, blank=True)
    risk_level = models.CharField("リスクの程度", max_length=10, choices=RiskLevel.choices, default=RiskLevel.MEDIUM)
    risk_reason = EncryptedTextField("リスク判断の理由", blank=True)
    notes = EncryptedTextField("メモ", blank=True)

    stage = models.CharField("段階", max_length=20, choices=Stage.choices, default=Stage.CONSULTATION)
    closure_reason = EncryptedTextField("終結の理由", blank=True)
    closure_requested_at = models.DateTimeField("終結の申請日時", null=True, blank=True)
    closure_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="終結を申請した者",
    )
    closed_at = models.DateTimeField("終結日時", null=True, blank=True)
    closure_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="終結を承認した者",
    )
    version = models.PositiveIntegerField("版", default=1, editable=False)

    history = HistoricalRecords()
    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "ケース"
        verbose_name_plural = "ケース"
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "sequence"], name="cases_case_unique_year_sequence"),
            models.CheckConstraint(
                condition=Q(stage="closed", closed_at__isnull=False) | (~Q(stage="closed") & Q(closed_at__isnull=True)),
                name="cases_case_closed_at_matches_stage",
            ),
            models.CheckConstraint(
                condition=Q(address_protection=False) | Q(address_protection_until__isnull=False),
                name="cases_case_protection_has_expiry",
            ),
        ]
        # The open cases are a few hundred of thousands: every hub dashboard block starts from them.
        indexes = [
            models.Index(fields=["opened_at"], condition=~Q(stage="closed"), name="cases_case_open_idx"),
            # The fiscal-year report counts the cases closed in a year (reports: the same time at any data size).
            models.Index(fields=["closed_at"], name="cases_case_closed_idx"),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("cases:case_detail", args=[self.uuid])

    @property
    def is_closed(self) -> bool:
        return self.stage == self.Stage.CLOSED

    @property
    def closure_pending(self) -> bool:
        return self.closure_requested_at is not None and not self.is_closed

    def category_labels(self) -> list[str]:
        labels = dict(ProblemCategory.choices)
        return [labels.get(code, code) for code in self.categories]


class CaseAssignment(models.Model):
    """A worker assigned to a case (one lead, any number of others) until the assignment ends."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assignments", verbose_name="ケース")
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="case_assignments", verbose_name="担当者"
    )
    is_lead = models.BooleanField("主担当", default=False)
    assigned_at = models.DateTimeField("割当日時", default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="割り当てた者"
    )
    ended_at = models.DateTimeField("終了日時", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "担当割当"
        verbose_name_plural = "担当割当"
        ordering = ["-is_lead", "assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person"], condition=Q(ended_at__isnull=True), name="cases_assignment_one_active"
            ),
            models.UniqueConstraint(
                fields=["case"], condition=Q(ended_at__isnull=True, is_lead=True), name="cases_assignment_one_lead"
            ),
        ]

    def __str__(self):
        return f"{self.case_id}/{self.person_id}"


class BreakGlassAccess(models.Model):
    """A hub worker's time-limited access to a case not assigned to them, with the stated reason."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="break_glass_accesses", verbose_name="ケース")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_accesses", verbose_name="閲覧者"
    )
    reason = models.CharField(
        "理由", max_length=300, help_text="業務上の理由だけを書き、相談者の氏名や内容は書かないでください。"
    )
    started_at = models.DateTimeField("開始日時", default=timezone.now)
    expires_at = models.DateTimeField("期限")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "緊急閲覧"
        verbose_name_plural = "緊急閲覧"
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("started_at")), name="cases_breakglass_expiry")
        ]

    def __str__(self):
        return f"{self.case_id}/{self.user_id} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.expires_at > timezone.now()


class StageTransition(models.Model):
    """One move of a case from one stage to another (also closure and reopening)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="stage_transitions", verbose_name="ケース")
    from_stage = models.CharField("変更前", max_length=20, choices=Case.Stage.choices, blank=True)
    to_stage = models.CharField("変更後", max_length=20, choices=Case.Stage.choices)
    at = models.DateTimeField("日時", default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="操作者")
    note = EncryptedTextField("メモ", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "段階の変更"
        verbose_name_plural = "段階の変更"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.case_id}: {self.from_stage} → {self.to_stage}"


class Information(models.Model):
    """Information a member sent the hub (情報提供). Write-only for the sender: they see a receipt and a coarse status."""

    class Channel(models.TextChoices):
        ONLINE = "online", "システムから送信"
        PHONE = "phone", "電話（拠点が入力）"

    class Awareness(models.TextChoices):
        AGREES = "agrees", "本人は知っていて、市への連絡に同意している"
        KNOWS = "knows", "本人は知っているが、同意は得ていない"
        UNAWARE = "unaware", "本人は知らない"
        UNKNOWN = "unknown", "わからない"

    class Urgency(models.TextChoices):
        URGENT = "urgent", "至急（命や身体の危険がある）"
        SOON = "soon", "早めの対応が必要"
        NORMAL = "normal", "通常"

    class Triage(models.TextChoices):
        PENDING = "pending", "未対応"
        LINKED = "linked", "既存のケースに結び付けた"
        OPENED = "opened", "新しいケースを開いた"
        NO_CASE = "no_case", "ケースにしなかった"

    class SenderStatus(models.TextChoices):
        RECEIVED = "received", "受け付けました"
        HANDLING = "handling", "対応中です"
        CLOSED = "closed", "対応を終えました"

    uuid = models.UUIDField("ID", default=uuid.uuid4, unique=True, editable=False)
    receipt_number = models.CharField("受付番号", max_length=20, unique=True, editable=False)
    submitted_at = models.DateTimeField("受付日時", default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="送信者・入力者"
    )
    body = models.ForeignKey(
        "registry.Body", on_delete=models.PROTECT, related_name="information_sent", verbose_name="情報提供元の機関"
    )
    channel = models.CharField("経路", max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    caller = EncryptedTextField("電話の相手", blank=True, help_text="電話で受けたときに、誰からの連絡か")
    observation = EncryptedTextField("気づいたこと")
    situation = EncryptedTextField("わかる範囲での本人の状況", blank=True)
    woman_name = EncryptedTextField("本人の氏名（わかれば）", blank=True)
    awareness = models.CharField("本人の認識・同意", max_length=10, choices=Awareness.choices)
    safe_contact = EncryptedTextField("安全に連絡できる方法と時間帯", blank=True)
    urgency = models.CharField("緊急度", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)

    triage = models.CharField("拠点での対応", max_length=10, choices=Triage.choices, default=Triage.PENDING)
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="information_items",
        verbose_name="ケース",
    )
    no_case_reason = EncryptedTextField("ケースにしなかった理由", blank=True)
    triaged_at = models.DateTimeField("対応日時", null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="対応した者",
    )
    sender_closed = models.BooleanField("送信者への表示を「対応を終えました」にする", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "情報提供"
        verbose_name_plural = "情報提供"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(triage__in=["linked", "opened"], case__isnull=False)
                | (~Q(triage__in=["linked", "opened"]) & Q(case__isnull=True)),
                name="cases_information_case_matches_triage",
            ),
        ]

    def __str__(self):
        return self.receipt_number

    @property
    def sender_status(self) -> str:
        """The coarse status the sender sees. Linking to an existing case and opening one look the same."""
        if self.triage == self.Triage.PENDING:
            return self.SenderStatus.RECEIVED
        if self.triage == self.Triage.NO_CASE or self.sender_closed:
            return self.SenderStatus.CLOSED
        return self.SenderStatus.HANDLING

    def get_sender_status_display(self) -> str:
        return self.SenderStatus(self.sender_status).label


class Consultation(models.Model):
    """A consultation record (相談記録)."""

    class Method(models.TextChoices):
        VISIT = "visit", "来所"
        PHONE = "phone", "電話"
        EMAIL = "email", "メール"
        HOME_VISIT = "home_visit", "訪問"
        ACCOMPANIMENT = "accompaniment", "同行"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consultations", verbose_name="ケース")
    at = models.DateTimeField("日時")
    method = models.CharField("方法", max_length=20, choices=Method.choices)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="相談員"
    )
    content = EncryptedTextField("相談内容")
    next_step = EncryptedTextField("次の対応", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "相談記録"
        verbose_name_plural = "相談記録"
        ordering = ["at", "id"]
        # The fiscal-year report counts a year's consultations by method and by month: an index-only scan of
        # the year (id included: the counts are COUNT(id)) instead of a bitmap scan of its rows (10 ms per count at
        # 10 years, four counts a report, growing with the data).
        indexes = [models.Index(fields=["at", "method"], include=["id"], name="cases_consult_at_method_idx")]

    def __str__(self):
        return f"相談記録 {self.pk}"


class Assessment(models.Model):
    """One assessment of needs, her wishes and risk; kept as a series."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assessments", verbose_name="ケース")
    assessed_at = models.DateTimeField("実施日時", default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="記録者")
    needs = models.JSONField("ニーズ", default=list)
    needs_detail = EncryptedTextField("ニーズの詳細", blank=True)
    wishes = EncryptedTextField("本人の意向")
    risk_level = models.CharField("リスクの程度", max_length=10, choices=RiskLevel.choices)
    risk_detail = EncryptedTextField("リスクの評価", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "アセスメント"
        verbose_name_plural = "アセスメント"
        ordering = ["assessed_at", "id"]

    def __str__(self):
        return f"アセスメント {self.pk}"

    def need_labels(self) -> list[str]:
        labels = dict(NeedKind.choices)
        return [labels.get(code, code) for code in self.needs]


class PlanItem(models.Model):
    """One service of the support plan, with the body responsible for it."""

    class Status(models.TextChoices):
        TO_REQUEST = "to_request", "依頼予定"
        REQUESTED = "requested", "依頼済み"
        IN_PROGRESS = "in_progress", "対応中"
        DONE = "done", "完了"
        NOT_NEEDED = "not_needed", "不要"

    OPEN_STATUSES = [Status.TO_REQUEST, Status.REQUESTED, Status.IN_PROGRESS]

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="plan_items", verbose_name="ケース")
    service = models.CharField("サービス", max_length=30, choices=ServiceKind.choices)
    detail = EncryptedTextField("内容", blank=True)
    responsible_body = models.ForeignKey(
        "registry.Body", on_delete=models.PROTECT, related_name="plan_items", verbose_name="担当する機関"
    )
    status = models.CharField("状況", max_length=20, choices=Status.choices, default=Status.TO_REQUEST)
    due_on = models.DateField("期日", null=True, blank=True)
    created_at = models.DateTimeField("作成日時", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="作成者"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "支援計画の項目"
        verbose_name_plural = "支援計画の項目"
        ordering = ["due_on", "id"]

    def __str__(self):
        return f"支援計画 {self.pk}"

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status in self.OPEN_STATUSES and self.due_on is not None and self.due_on < today


class ConsentRecord(models.Model):
    """What the woman agreed to share, with which body, for what, until when; she can withdraw it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consents", verbose_name="ケース")
    body = models.ForeignKey("registry.Body", on_delete=models.PROTECT, related_name="+", verbose_name="共有先の機関")
    items = models.JSONField("共有に同意した項目", default=list)
    purpose = EncryptedTextField("目的")
    given_on = models.DateField("同意日")
    valid_until = models.DateField("有効期限")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="記録者"
    )
    withdrawn_at = models.DateTimeField("撤回日時", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="撤回を記録した者",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "同意の記録"
        verbose_name_plural = "同意の記録"
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("given_on")), name="cases_consent_period")
        ]

    def __str__(self):
        return f"同意 {self.pk}"

    def is_active(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.withdrawn_at is None and self.given_on <= today <= self.valid_until

    def covers(self, body_id: int, fields: list[str], today=None) -> bool:
        return self.is_active(today) and self.body_id == body_id and set(fields) <= set(self.items)

    def item_labels(self) -> list[str]:
        labels = dict(PacketField.choices)
        return [labels.get(code, code) for code in self.items]


class Referral(models.Model):
    """A plan item sent to a department or agency as a packet holding only the ticked fields."""

    class LegalBasis(models.TextChoices):
        CONSENT = "consent", "本人の同意"
        LIFE_OR_BODY = "life_or_body", "生命・身体の保護に必要で、本人の同意を得ることが困難"
        STATUTE = "statute", "法令に基づく通告・照会"

    class Status(models.TextChoices):
        SENT = "sent", "送付済み"
        ACKNOWLEDGED = "acknowledged", "受領済み"
        RETURNED = "returned", "結果報告済み"

    uuid = models.UUIDField("ID", default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals", verbose_name="ケース")
    plan_item = models.ForeignKey(
        PlanItem, on_delete=models.PROTECT, related_name="referrals", verbose_name="支援計画の項目"
    )
    to_body = models.ForeignKey(
        "registry.Body", on_delete=models.PROTECT, related_name="referrals_received", verbose_name="依頼先"
    )
    fields = models.JSONField("パケットに入れた項目", default=list)
    packet = EncryptedJSONField("パケット", blank=True)
    request = EncryptedTextField("依頼内容")
    address_protected = models.BooleanField("送付時に住民票の支援措置が実施中", default=False)
    legal_basis = models.CharField("提供の根拠", max_length=20, choices=LegalBasis.choices)
    legal_basis_note = EncryptedTextField("根拠の説明", blank=True)
    consent = models.ForeignKey(
        ConsentRecord,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name="根拠となる同意",
    )
    status = models.CharField("状況", max_length=20, choices=Status.choices, default=Status.SENT)
    sent_at = models.DateTimeField("送付日時", default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="送付者"
    )
    acknowledged_at = models.DateTimeField("受領日時", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="受領者",
    )
    action_taken = EncryptedTextField("行った対応", blank=True)
    outcome = EncryptedTextField("結果", blank=True)
    returned_at = models.DateTimeField("結果報告日時", null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="結果を報告した者",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "依頼（連携）"
        verbose_name_plural = "依頼（連携）"
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(legal_basis="consent") | Q(consent__isnull=False), name="cases_referral_consent_present"
            ),
        ]

    def __str__(self):
        return f"依頼 {self.pk}"

    def get_absolute_url(self):
        return reverse("cases:referral_detail", args=[self.uuid])

    def packet_rows(self) -> list[tuple[str, str]]:
        """(label, value) for the ticked fields, in the fixed order of PacketField."""
        return [(label, self.packet.get(code, "")) for code, label in PacketField.choices if code in self.packet]


class Accompaniment(models.Model):
    """A worker going with her somewhere (同行)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="accompaniments", verbose_name="ケース")
    on = models.DateField("日付")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="同行した相談員"
    )
    companions = EncryptedTextField("ほかに同行した人", blank=True)
    destination = EncryptedTextField("行き先")
    outcome = EncryptedTextField("結果", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "同行"
        verbose_name_plural = "同行"
        ordering = ["on", "id"]

    def __str__(self):
        return f"同行 {self.pk}"


class ProtectionStay(models.Model):
    """Temporary protection or a shelter stay. The facility's location is never stored."""

    class Kind(models.TextChoices):
        TEMPORARY_PROTECTION = "temporary_protection", "一時保護（埼玉県男女共同参画推進センター）"
        PRIVATE_SHELTER = "private_shelter", "民間シェルター"
        OTHER_FACILITY = "other_facility", "その他の施設"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="protection_stays", verbose_name="ケース")
    kind = models.CharField("種類", max_length=30, choices=Kind.choices)
    started_on = models.DateField("開始日")
    ended_on = models.DateField("終了日", null=True, blank=True)
    notes = EncryptedTextField("メモ", blank=True, help_text="施設の所在地・名称は記録しないでください。")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="記録者"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "一時保護・シェルター"
        verbose_name_plural = "一時保護・シェルター"
        ordering = ["started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")), name="cases_stay_period"
            )
        ]

    def __str__(self):
        return f"保護 {self.pk}"


class FollowUp(models.Model):
    """An aftercare follow-up due on a date; a reminder goes to the lead worker when it is due."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="follow_ups", verbose_name="ケース")
    due_on = models.DateField("予定日")
    purpose = EncryptedTextField("目的", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="作成者"
    )
    done_at = models.DateTimeField("実施日時", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="実施者",
    )
    result = EncryptedTextField("結果", blank=True)
    reminded_on = models.DateField("通知日", null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "フォローアップ"
        verbose_name_plural = "フォローアップ"
        ordering = ["due_on", "id"]

    def __str__(self):
        return f"フォローアップ {self.pk}"

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.done_at is None and self.due_on < today


class LegalHold(models.Model):
    """A hold that stops the retention purge of a case (a lawsuit, an inquiry), until a date or until lifted."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="legal_holds", verbose_name="ケース")
    reason = models.CharField(
        "理由", max_length=300, help_text="業務上の理由だけを書き、相談者の氏名や内容は書かないでください。"
    )
    until = models.DateField("保留の期限")
    placed_at = models.DateTimeField("設定日時", default=timezone.now)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="設定した者"
    )
    lifted_at = models.DateTimeField("解除日時", null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="解除した者",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "削除の保留"
        verbose_name_plural = "削除の保留"
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(lifted_at__isnull=True), name="cases_legalhold_one_active"
            ),
        ]

    def __str__(self):
        return f"保留 {self.pk}"

    def is_active(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.lifted_at is None and self.until >= today


class PurgedCaseFacts(models.Model):
    """The non-identifying facts of a case removed by the retention purge, so that yearly figures survive it.

    No name, no number, no narrative, no date finer than a month. Write-once (append_only: the triggers of
    audit/triggers.py refuse UPDATE and DELETE), so it has no history. Month lists are JSON arrays of
    [“YYYY-MM”, key, count] so that cases/selectors.py::case_year_figures sums them in PostgreSQL.
    """

    append_only = True

    fiscal_year = models.PositiveIntegerField("開始の年度")
    opened_month = models.CharField("開始の月", max_length=7)
    source_body_kind = models.CharField("情報提供元の種別", max_length=20, blank=True)
    categories = models.JSONField("問題の種類", default=list, blank=True)
    age_band = models.CharField("年代", max_length=10, blank=True)
    risk_level = models.CharField("リスクの程度", max_length=10)
    highest_stage = models.CharField("到達した段階", max_length=20)
    closed_month = models.CharField("終結の月", max_length=7)
    closed_fiscal_year = models.PositiveIntegerField("終結の年度")
    reopen_count = models.PositiveSmallIntegerField("再開の回数", default=0)
    consultations = models.JSONField("相談（月・方法・件数）", default=list, blank=True)
    referrals = models.JSONField("依頼（月・依頼先の種別・件数）", default=list, blank=True)
    referral_outcomes = models.JSONField("依頼の結果（送付月・「依頼先のID:状況」・件数）", default=list, blank=True)
    accompaniments = models.JSONField("同行（月・件数）", default=list, blank=True)
    protections = models.JSONField("一時保護等（開始月・種類・件数）", default=list, blank=True)
    days_to_first_consultation = models.PositiveIntegerField(
        "最初の情報提供から最初の相談までの日数", null=True, blank=True
    )
    purged_at = models.DateTimeField("削除日時", default=timezone.now)

    class Meta:
        verbose_name = "削除したケースの統計項目"
        verbose_name_plural = "削除したケースの統計項目"
        ordering = ["fiscal_year", "id"]

    def __str__(self):
        return f"{self.fiscal_year}年度 {self.pk}"


class PurgedInformationFacts(models.Model):
    """The non-identifying facts of an information item removed by the retention purge (alone or with its case),
    so that the count of information by kind of sender survives it: month received, the sender's kind of body,
    how the hub answered it. Write-once (append_only), so it has no history."""

    append_only = True

    submitted_month = models.CharField("受付の月", max_length=7)
    body_kind = models.CharField("提供元の種別", max_length=20)
    triage = models.CharField("拠点での対応", max_length=10)
    purged_at = models.DateTimeField("削除日時", default=timezone.now)

    class Meta:
        verbose_name = "削除した情報提供の統計項目"
        verbose_name_plural = "削除した情報提供の統計項目"
        ordering = ["submitted_month", "id"]

    def __str__(self):
        return f"{self.submitted_month} {self.body_kind}"
