import datetime
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ageo_network.uploads import private_storage
from ageo_network.wareki import fiscal_year
from registry.models import Body

# 「女性に対する暴力をなくす運動」: every year, 12 to 25 November.
CAMPAIGN_START = (11, 12)
CAMPAIGN_END = (11, 25)


def campaign_period(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, *CAMPAIGN_START), datetime.date(year, *CAMPAIGN_END)


class Material(models.Model):
    """An awareness material of the catalogue (啓発物): a leaflet, card, poster or sticker in one language."""

    class Kind(models.TextChoices):
        LEAFLET = "leaflet", "リーフレット"
        CARD = "card", "カード"
        POSTER = "poster", "ポスター"
        STICKER = "sticker", "ステッカー"
        OTHER = "other", "その他"

    class Language(models.TextChoices):
        JA = "ja", "日本語"
        JA_EASY = "ja-easy", "やさしい日本語"
        EN = "en", "English"
        ZH = "zh", "中文"
        KO = "ko", "한국어"
        VI = "vi", "Tiếng Việt"
        PT = "pt", "Português"
        TL = "tl", "Tagalog"
        OTHER = "other", "その他の言語"

    kind = models.CharField("種類", max_length=20, choices=Kind.choices)
    title = models.CharField("名称", max_length=200)
    edition = models.PositiveIntegerField("年度版", help_text="西暦の年度（例：2026 は令和8年度版）。")
    language = models.CharField("言語", max_length=10, choices=Language.choices, default=Language.JA)
    public_placement = models.BooleanField(
        "人目につく場所に置いてよい", default=True, help_text="外さない場合は、女性トイレなど人目につかない場所に置く。"
    )
    print_file = models.FileField(
        "印刷用ファイル（PDF）", storage=private_storage, upload_to="outreach/print/", blank=True
    )
    thumbnail = models.FileField(
        "見本画像（PNG・JPEG）", storage=private_storage, upload_to="outreach/thumb/", blank=True
    )
    low_stock_threshold = models.PositiveIntegerField("在庫僅少の基準", default=50)
    # The ledger's running balance, written only by the stock services under a row lock.
    stock = models.PositiveIntegerField("在庫数", default=0, editable=False)
    low_stock_notified = models.BooleanField("在庫僅少を通知済み", default=False, editable=False)
    is_active = models.BooleanField("配布中", default=True)
    created_at = models.DateTimeField("登録日時", default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "啓発物"
        verbose_name_plural = "啓発物"
        ordering = ["-edition", "kind", "title", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "title", "edition", "language"], name="outreach_material_unique_edition_language"
            ),
            models.CheckConstraint(condition=Q(stock__gte=0), name="outreach_material_stock_not_negative"),
        ]

    def __str__(self):
        return f"{self.title}（{self.get_language_display()}・{self.edition}年度版）"

    @property
    def is_low(self) -> bool:
        return self.stock <= self.low_stock_threshold


class StockMovement(models.Model):
    """One line of the secretariat's stock ledger. Never edited or deleted: a mistake is corrected by a new line."""

    class Kind(models.TextChoices):
        RECEIVED = "received", "印刷所から受領"
        SHIPPED = "shipped", "機関へ発送"
        RETURNED = "returned", "機関から返却"
        DISCARDED = "discarded", "廃棄"

    INCOMING = (Kind.RECEIVED, Kind.RETURNED)

    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="movements", verbose_name="啓発物")
    kind = models.CharField("種類", max_length=20, choices=Kind.choices)
    quantity = models.PositiveIntegerField("数量")
    balance_after = models.PositiveIntegerField("残数")
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, null=True, blank=True, related_name="stock_movements", verbose_name="相手先"
    )
    note = models.CharField("備考", max_length=200, blank=True)
    at = models.DateTimeField("日時", default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="記録した者"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "在庫の動き"
        verbose_name_plural = "在庫の動き"
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="outreach_movement_quantity_positive"),
            models.CheckConstraint(
                condition=Q(kind__in=["shipped", "returned"], body__isnull=False)
                | Q(kind__in=["received", "discarded"]),
                name="outreach_movement_body_for_shipments",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.quantity}"

    @property
    def signed_quantity(self) -> int:
        return self.quantity if self.kind in self.INCOMING else -self.quantity


class Placement(models.Model):
    """Where a material is placed at a body (配架・掲示): the spot, how many, since when."""

    class Spot(models.TextChoices):
        RECEPTION = "reception", "受付"
        WAITING = "waiting", "待合室"
        WOMENS_RESTROOM = "womens_restroom", "女性トイレ"
        NOTICE_BOARD = "notice_board", "掲示板"
        OTHER = "other", "その他"

    class Status(models.TextChoices):
        ACTIVE = "active", "設置中"
        REMOVED = "removed", "撤去"

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="placements", verbose_name="機関")
    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="placements", verbose_name="啓発物")
    spot = models.CharField("場所", max_length=20, choices=Spot.choices)
    quantity = models.PositiveIntegerField("数量")
    since = models.DateField("設置日", default=timezone.localdate)
    status = models.CharField("状態", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    removed_on = models.DateField("撤去日", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "設置"
        verbose_name_plural = "設置"
        ordering = ["body__name", "material__title", "spot"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "material", "spot"],
                condition=Q(status="active"),
                name="outreach_placement_one_active_per_spot",
            ),
            models.CheckConstraint(
                condition=Q(status="active", removed_on__isnull=True) | Q(status="removed", removed_on__isnull=False),
                name="outreach_placement_removed_on_matches_status",
            ),
        ]

    def __str__(self):
        return f"{self.material.title} / {self.get_spot_display()}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class RestockRequest(models.Model):
    """A body's one-click report that a placement runs low or is empty; closed by the secretariat's shipment."""

    class Level(models.TextChoices):
        LOW = "low", "残りわずか"
        EMPTY = "empty", "なくなった"

    placement = models.ForeignKey(
        Placement, on_delete=models.PROTECT, related_name="restock_requests", verbose_name="設置"
    )
    level = models.CharField("状況", max_length=10, choices=Level.choices)
    requested_at = models.DateTimeField("依頼日時", default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="依頼した者"
    )
    closed_at = models.DateTimeField("対応日時", null=True, blank=True)
    shipment = models.ForeignKey(
        StockMovement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="closed_requests",
        verbose_name="対応した発送",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "補充依頼"
        verbose_name_plural = "補充依頼"
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement"],
                condition=Q(closed_at__isnull=True),
                name="outreach_restock_one_open_per_placement",
            ),
        ]

    def __str__(self):
        return f"{self.get_level_display()}（{self.placement_id}）"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class PlacementConfirmation(models.Model):
    """A body's yearly confirmation that its active placements are still where the list says."""

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="placement_confirmations", verbose_name="機関"
    )
    fiscal_year = models.PositiveIntegerField("年度")
    confirmed_at = models.DateTimeField("確認日時", default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="確認した者"
    )
    active_count = models.PositiveIntegerField("確認した設置の数")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "設置状況の年次確認"
        verbose_name_plural = "設置状況の年次確認"
        ordering = ["-fiscal_year", "body__name"]
        constraints = [
            models.UniqueConstraint(fields=["body", "fiscal_year"], name="outreach_confirmation_once_a_year"),
        ]

    def __str__(self):
        return f"{self.body_id} / {self.fiscal_year}"


class Event(models.Model):
    """An event of the network: a lecture, an awareness event, a gatekeeper training, an outreach lecture,
    held on its own or together with an Art. 7/8 meeting (the R6.11 representatives' meeting had a lecture)."""

    class Kind(models.TextChoices):
        LECTURE = "lecture", "講演会"
        AWARENESS = "awareness", "啓発イベント"
        GATEKEEPER = "gatekeeper", "ゲートキーパー研修"
        VISITING = "visiting", "出前講座"
        OTHER = "other", "その他"

    class Audience(models.TextChoices):
        MEMBERS = "members", "構成機関のみ"
        PUBLIC = "public", "一般公開"

    uuid = models.UUIDField("ID", default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField("種類", max_length=20, choices=Kind.choices)
    title = models.CharField("名称", max_length=200)
    starts_at = models.DateTimeField("開始日時")
    ends_at = models.DateTimeField("終了日時")
    place = models.CharField("会場", max_length=200)
    capacity = models.PositiveIntegerField("定員")
    audience = models.CharField("対象", max_length=10, choices=Audience.choices, default=Audience.MEMBERS)
    organiser = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="organised_events", verbose_name="主催")
    description = models.TextField("内容", blank=True)
    is_cancelled = models.BooleanField("中止", default=False)
    # PROTECT: meetings are cancelled, not deleted; SET_NULL would unlink the event with an untracked
    # QuerySet.update() (no history row), so deleting a meeting that has an event is refused instead.
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name="同時開催の会議",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "行事"
        verbose_name_plural = "行事"
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="outreach_event_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="outreach_event_capacity_positive"),
        ]

    def __str__(self):
        return self.title

    @property
    def day(self) -> datetime.date:
        return timezone.localdate(self.starts_at)

    @property
    def is_public(self) -> bool:
        return self.audience == self.Audience.PUBLIC

    @property
    def is_gatekeeper_training(self) -> bool:
        return self.kind == self.Kind.GATEKEEPER

    @property
    def in_campaign(self) -> bool:
        start, end = campaign_period(self.day.year)
        return start <= self.day <= end

    @property
    def fiscal_year(self) -> int:
        return fiscal_year(self.day)


def new_cancel_token() -> str:
    return secrets.token_urlsafe(24)


class Registration(models.Model):
    """One person registered for an event: a member body's person (a `Person` of the system, or by name
    someone of the body who has no entry), or a member of the public.

    The history leaves out the name and the contact details, so that the purge of public registrants
    (`manage.py purge_expired`, `public_registrants_purge`) really removes them — it erases them in the row, which stays
    for the year's figures — while history rows are append-only."""

    class Status(models.TextChoices):
        REGISTERED = "registered", "参加"
        WAITING = "waiting", "キャンセル待ち"
        CANCELLED = "cancelled", "取消"

    uuid = models.UUIDField("ID", default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations", verbose_name="行事")
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name="所属機関",
        help_text="空欄は一般の申込者。",
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name="構成機関の人",
        help_text="空欄は、システムに登録のない人（氏名だけ）か一般の申込者。",
    )
    # For a Person: their name when registered (the certificate and the attendance sheet print it).
    name = models.CharField("氏名", max_length=100)
    name_kana = models.CharField("フリガナ", max_length=100, blank=True)
    email = models.EmailField("メールアドレス", blank=True)
    status = models.CharField("状態", max_length=12, choices=Status.choices, default=Status.REGISTERED)
    registered_at = models.DateTimeField("申込日時", default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登録した者",
    )
    cancel_token = models.CharField(
        "取消用トークン", max_length=64, unique=True, default=new_cancel_token, editable=False
    )
    attended = models.BooleanField("出席", null=True, blank=True)
    certificate_serial = models.CharField("修了証番号", max_length=20, blank=True)

    history = HistoricalRecords(excluded_fields=["name", "name_kana", "email", "cancel_token"])

    class Meta:
        verbose_name = "参加申込"
        verbose_name_plural = "参加申込"
        ordering = ["registered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate_serial"],
                condition=~Q(certificate_serial=""),
                name="outreach_registration_unique_certificate_serial",
            ),
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(person__isnull=False) & ~Q(status="cancelled"),
                name="outreach_registration_one_active_per_person",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=True) | Q(body__isnull=False),
                name="outreach_registration_person_has_body",
            ),
        ]

    def __str__(self):
        # Never the name: __str__ ends up in logs and the access log.
        return f"申込 {self.pk}"

    @property
    def is_public(self) -> bool:
        return self.body_id is None


class CertificateCounter(models.Model):
    """The last 修了証 number given out in one fiscal year; locked row by row so numbers never collide."""

    fiscal_year = models.PositiveIntegerField("年度", unique=True)
    last = models.PositiveIntegerField("最後の番号", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "修了証番号カウンター"
        verbose_name_plural = "修了証番号カウンター"

    def __str__(self):
        return f"{self.fiscal_year}: {self.last}"


# --- the network's bulletin (情報共有) ----------------------------------------------------------------------------


class Post(models.Model):
    """A members-only bulletin post: news, events, resources, what worked here. Never personal or case data."""

    class Category(models.TextChoices):
        NEWS = "news", "お知らせ"
        EVENT = "event", "行事・研修"
        RESOURCE = "resource", "制度・資料"
        PRACTICE = "practice", "取組の工夫"
        OTHER = "other", "その他"

    uuid = models.UUIDField("ID", default=uuid.uuid4, unique=True, editable=False)
    category = models.CharField("分類", max_length=20, choices=Category.choices)
    title = models.CharField("題名", max_length=200)
    text = models.TextField("本文")
    attachment = models.FileField("添付ファイル", storage=private_storage, upload_to="outreach/bulletin/", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="投稿者"
    )
    author_body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="posts", verbose_name="投稿した機関")
    created_at = models.DateTimeField("投稿日時", default=timezone.now)
    is_pinned = models.BooleanField("上部に固定", default=False)
    is_hidden = models.BooleanField("非表示", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "掲示板の投稿"
        verbose_name_plural = "掲示板の投稿"
        ordering = ["-is_pinned", "-created_at", "-id"]

    def __str__(self):
        return self.title


class Comment(models.Model):
    """A comment on a bulletin post."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="comments", verbose_name="投稿")
    text = models.TextField("コメント")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="投稿者"
    )
    author_body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+", verbose_name="投稿した機関")
    created_at = models.DateTimeField("投稿日時", default=timezone.now)
    is_hidden = models.BooleanField("非表示", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "掲示板のコメント"
        verbose_name_plural = "掲示板のコメント"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"コメント {self.pk}"


class PostReport(models.Model):
    """A member's report of a post to the secretariat (personal data, wrong information, …)."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="reports", verbose_name="投稿")
    reason = models.CharField("理由", max_length=300)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="報告した者"
    )
    reported_at = models.DateTimeField("報告日時", default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "投稿の報告"
        verbose_name_plural = "投稿の報告"
        ordering = ["-reported_at", "-id"]

    def __str__(self):
        return f"報告 {self.pk}"


class DigestChoice(models.Model):
    """Whether a body's people get a weekly mail digest of new bulletin posts."""

    class Frequency(models.TextChoices):
        NONE = "none", "受け取らない"
        WEEKLY = "weekly", "週に1回"

    body = models.OneToOneField(Body, on_delete=models.PROTECT, related_name="digest_choice", verbose_name="機関")
    frequency = models.CharField("まとめメール", max_length=10, choices=Frequency.choices, default=Frequency.NONE)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "掲示板のまとめメール"
        verbose_name_plural = "掲示板のまとめメール"

    def __str__(self):
        return f"{self.body_id}: {self.frequency}"


class ActivityReport(models.Model):
    """What a body did for the network in one fiscal year (年度), filed from its own page."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="activity_reports", verbose_name="機関")
    fiscal_year = models.PositiveIntegerField("年度")
    posters = models.PositiveIntegerField("掲示したポスター（枚）", default=0)
    leaflets = models.PositiveIntegerField("設置・配布したリーフレット・カード（枚）", default=0)
    event_attendees = models.PositiveIntegerField("講演会・研修に参加した人数", default=0)
    gatekeepers = models.PositiveIntegerField("ゲートキーパー研修の修了者（人）", default=0)
    text = models.TextField("取組の内容", blank=True, help_text="個人やケースを特定できる情報は書かないでください。")
    submitted_at = models.DateTimeField("提出日時", default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="提出した者"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "活動報告"
        verbose_name_plural = "活動報告"
        ordering = ["-fiscal_year", "body__name"]
        constraints = [
            models.UniqueConstraint(fields=["body", "fiscal_year"], name="outreach_activityreport_once_a_year"),
        ]

    def __str__(self):
        return f"{self.body_id} / {self.fiscal_year}"
