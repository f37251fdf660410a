import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class BodyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Body.Status.ACTIVE)

    def former(self):
        return self.filter(status=Body.Status.FORMER)


class BodyManager(models.Manager.from_queryset(BodyQuerySet)):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Body(models.Model):
    """A constituent body of the network: the hub, a city department, a related agency or a registered business."""

    class Kind(models.TextChoices):
        HUB = "hub", "拠点（男女共同参画推進センター）"
        DEPARTMENT = "department", "市の部署"
        AGENCY = "agency", "関係機関"
        BUSINESS = "business", "登録事業所"

    class Status(models.TextChoices):
        ACTIVE = "active", "構成機関"
        FORMER = "former", "元構成機関"

    class BusinessKind(models.TextChoices):
        CLINIC = "clinic", "医療機関（診療所・病院）"
        DENTAL = "dental", "歯科医院"
        PHARMACY = "pharmacy", "薬局"
        NPO = "npo", "NPO・市民団体"
        SHELTER = "shelter", "民間シェルター"
        GATHERING = "gathering", "居場所"
        SHOP = "shop", "美容・小売・飲食店"
        COMPANY = "company", "企業"
        OTHER = "other", "その他"

    code = models.SlugField(
        "識別コード",
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        help_text="初期データの機関を識別する固定コード。登録事業所は空欄。",
    )
    kind = models.CharField("種別", max_length=20, choices=Kind.choices)
    name = models.CharField("名称", max_length=200)
    name_kana = models.CharField("フリガナ", max_length=200, blank=True)
    alias = models.CharField("別称・兼ねる機能", max_length=200, blank=True)
    division = models.CharField("部", max_length=100, blank=True)
    section = models.CharField("課", max_length=100, blank=True)
    postal_code = models.CharField("郵便番号", max_length=8, blank=True)
    address = models.CharField("所在地", max_length=300, blank=True)
    phone = models.CharField("電話番号", max_length=20, blank=True)
    email = models.EmailField("メールアドレス", blank=True)
    website = models.URLField("ウェブサイト", blank=True)
    in_city = models.BooleanField("市内", default=True)
    status = models.CharField("状態", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    joined_on = models.DateField("加入日", null=True, blank=True)
    left_on = models.DateField("退会日", null=True, blank=True)
    left_reason = models.CharField("退会の経緯", max_length=300, blank=True)
    # Registered businesses only.
    business_kind = models.CharField("事業所の種類", max_length=20, choices=BusinessKind.choices, blank=True)
    representative = models.CharField("代表者", max_length=100, blank=True)
    activity_other = models.CharField("その他の協力内容", max_length=200, blank=True)
    roster_consent = models.BooleanField("公開名簿への掲載に同意", default=False)
    roster_show_address = models.BooleanField("公開名簿に所在地を載せる", default=False)
    roster_show_phone = models.BooleanField("公開名簿に電話番号を載せる", default=False)
    roster_show_email = models.BooleanField("公開名簿にメールアドレスを載せる", default=False)
    roster_show_website = models.BooleanField("公開名簿にウェブサイトを載せる", default=False)
    roster_show_representative = models.BooleanField("公開名簿に代表者名を載せる", default=False)
    people_limit = models.PositiveSmallIntegerField(
        "担当者の上限",
        default=3,
        help_text="登録事業所が自分で登録できる担当者の人数（現在の担当者の合計）。事務局が変更する。",
    )
    needs_review = models.BooleanField(
        "事務局の確認待ち", default=False, help_text="事業所が名称・所在地を変更したとき、事務局が確認するまで立つ。"
    )

    history = HistoricalRecords()
    objects = BodyManager()

    class Meta:
        verbose_name = "構成機関"
        verbose_name_plural = "構成機関"
        ordering = ["kind", "name_kana", "name"]
        permissions = [("view_roster", "名簿を閲覧・出力できる")]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="registry_body_unique_kind_name"),
            models.CheckConstraint(
                condition=~Q(kind="department") | (~Q(division="") & ~Q(section="")),
                name="registry_body_department_has_division_section",
            ),
            models.CheckConstraint(
                condition=Q(status="active", left_on__isnull=True) | Q(status="former", left_on__isnull=False),
                name="registry_body_left_on_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(joined_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="registry_body_left_after_joined",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("registry:body_detail", args=[self.pk])

    def natural_key(self):
        return (self.code,)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_city(self) -> bool:
        return self.kind in (self.Kind.HUB, self.Kind.DEPARTMENT)


class PersonQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        """People who act for the network on `on` (default today): see Person.is_current_on."""
        on = on or timezone.localdate()
        return self.filter(
            Q(left_on__isnull=True) | Q(left_on__gt=on), user__is_active=True, body__status=Body.Status.ACTIVE
        )


class Person(models.Model):
    """A person who acts for a body, linked one-to-one to a sign-in account."""

    class Role(models.TextChoices):
        SECRETARIAT = "secretariat", "ネットワーク事務局"
        HUB_WORKER = "hub_worker", "女性相談支援員"
        HUB_SUPERVISOR = "hub_supervisor", "女性相談支援員（統括）"
        DEPARTMENT_STAFF = "department_staff", "庁内担当者"
        AGENCY_STAFF = "agency_staff", "関係機関担当者"
        BUSINESS_MEMBER = "business_member", "登録事業所担当者"
        SYSADMIN = "sysadmin", "システム管理者"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="person", verbose_name="アカウント"
    )
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="people", verbose_name="所属機関")
    role = models.CharField("役割", max_length=30, choices=Role.choices)
    name = models.CharField("氏名", max_length=100)
    name_kana = models.CharField("フリガナ", max_length=100, blank=True)
    title = models.CharField("役職", max_length=100, blank=True)
    phone = models.CharField("電話番号", max_length=20, blank=True)
    started_on = models.DateField("開始日", default=datetime.date.today)
    left_on = models.DateField("終了日", null=True, blank=True)

    history = HistoricalRecords()
    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "担当者"
        verbose_name_plural = "担当者"
        ordering = ["body__name", "name_kana", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("started_on")),
                name="registry_person_left_after_started",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.body.name}）"

    def is_current_on(self, day: datetime.date) -> bool:
        """Whether the person acts for the network on `day`: the account is active, the body has not left,
        and the person's own leaving date (the last day is the day before `left_on`) has not come."""
        return (self.left_on is None or self.left_on > day) and self.user.is_active and self.body.is_active

    @property
    def is_current(self) -> bool:
        return self.is_current_on(timezone.localdate())


ARTICLE_10_TEXT = (
    "（守秘義務）\n"
    "第１０条 ネットワークの構成員及び構成員であった者は、第５条に定める活動及び会議を通じて"
    "知り得た秘密を他に漏らしてはならない。"
)


class PledgeVersion(models.Model):
    """A published version of the Art. 10 confidentiality pledge; the newest one is in force."""

    number = models.PositiveIntegerField("版", unique=True)
    text = models.TextField("誓約文")
    published_at = models.DateTimeField("公開日時", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "守秘義務誓約文"
        verbose_name_plural = "守秘義務誓約文"
        ordering = ["-number"]

    def __str__(self):
        return f"第{self.number}版"

    @classmethod
    def current(cls):
        return cls.objects.order_by("-number").first()


class PersonPledge(models.Model):
    """A person's acceptance of one pledge version. Kept for ever, also after they leave."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="pledges", verbose_name="担当者")
    version = models.ForeignKey(PledgeVersion, on_delete=models.PROTECT, related_name="+", verbose_name="版")
    accepted_at = models.DateTimeField("同意日時", auto_now_add=True)
    ip = models.GenericIPAddressField("IPアドレス", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "担当者の守秘義務誓約"
        verbose_name_plural = "担当者の守秘義務誓約"
        ordering = ["-accepted_at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "version"], name="registry_personpledge_unique_person_version")
        ]

    def __str__(self):
        return f"{self.person_id} / {self.version}"


class BodyPledge(models.Model):
    """A body's acceptance of the pledge: at signup for a business, recorded by the secretariat otherwise."""

    class Source(models.TextChoices):
        SIGNUP = "signup", "登録申請時"
        SECRETARIAT = "secretariat", "事務局が記録"

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="pledges", verbose_name="構成機関")
    version = models.ForeignKey(PledgeVersion, on_delete=models.PROTECT, related_name="+", verbose_name="版")
    accepted_at = models.DateTimeField("同意日時")
    accepted_by_name = models.CharField("同意した者（機関を代表して）", max_length=100)
    source = models.CharField("記録の経緯", max_length=20, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="記録した者",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "機関の守秘義務誓約"
        verbose_name_plural = "機関の守秘義務誓約"
        ordering = ["-accepted_at"]
        constraints = [
            models.UniqueConstraint(fields=["body", "version"], name="registry_bodypledge_unique_body_version")
        ]

    def __str__(self):
        return f"{self.body} / {self.version}"


# The fields a business may choose to publish on the public roster.
ROSTER_SHOW_FIELDS = [
    "roster_show_address",
    "roster_show_phone",
    "roster_show_email",
    "roster_show_website",
    "roster_show_representative",
]


class Activity(models.TextChoices):
    """What a body pledges to do for the network (shared by applications and bodies)."""

    POSTER = "poster", "ポスターの掲示"
    LEAFLET = "leaflet", "リーフレット・カードの設置・配布"
    GATEKEEPER = "gatekeeper", "ゲートキーパー（気づき・声かけ・つなぎ・見守り）"
    ACCOMPANY = "accompany", "センターへの同行"
    LECTURE = "lecture", "講演会・行事への参加"
    GATHERING = "gathering", "居場所の提供"
    GOODS = "goods", "支援物資の提供"
    SHELTER = "shelter", "一時的な避難場所（シェルター）の提供"
    CONSULTATION = "consultation", "相談対応"
    OTHER = "other", "その他"


class BodyActivity(models.Model):
    """One activity a body has pledged; the set is replaced through registry.services."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="activities", verbose_name="構成機関")
    activity = models.CharField("協力できること", max_length=20, choices=Activity.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "協力できること"
        verbose_name_plural = "協力できること"
        ordering = ["body", "activity"]
        constraints = [
            models.UniqueConstraint(fields=["body", "activity"], name="registry_bodyactivity_unique_body_activity")
        ]

    def __str__(self):
        return self.get_activity_display()


class ReferenceCounter(models.Model):
    """The last application number given out in one fiscal year; locked row by row so numbers never collide."""

    fiscal_year = models.PositiveIntegerField("年度", unique=True)
    last = models.PositiveIntegerField("最後の番号", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "申請番号カウンター"
        verbose_name_plural = "申請番号カウンター"

    def __str__(self):
        return f"{self.fiscal_year}: {self.last}"


class Application(models.Model):
    """A business's application to join the network, from the public signup form until the secretariat decides."""

    class Status(models.TextChoices):
        PENDING = "pending", "審査待ち"
        CHANGES_REQUESTED = "changes_requested", "修正依頼中"
        APPROVED = "approved", "承認"
        REJECTED = "rejected", "却下"

    uuid = models.UUIDField("ID", default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField("受付番号", max_length=20, unique=True, editable=False)
    status = models.CharField("状態", max_length=20, choices=Status.choices, default=Status.PENDING)
    submitted_at = models.DateTimeField("申請日時", default=timezone.now)
    revision = models.PositiveIntegerField("版", default=1)
    decided_at = models.DateTimeField("判断日時", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="判断した者",
    )
    decision_reason = models.TextField("理由（申請者に送付）", blank=True)
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name="登録された機関",
    )

    name = models.CharField("事業所・団体名", max_length=200)
    name_kana = models.CharField("事業所・団体名のフリガナ", max_length=200)
    business_kind = models.CharField("事業所の種類", max_length=20, choices=Body.BusinessKind.choices)
    representative = models.CharField("代表者名", max_length=100)
    contact_name = models.CharField("担当者名", max_length=100)
    contact_kana = models.CharField("担当者名のフリガナ", max_length=100)
    postal_code = models.CharField("郵便番号", max_length=8)
    address = models.CharField("所在地", max_length=300)
    in_city = models.BooleanField("市内", default=True)
    phone = models.CharField("電話番号", max_length=20)
    email = models.EmailField("メールアドレス")
    website = models.URLField("ウェブサイト", blank=True)
    activities = models.JSONField("協力できること", default=list)
    activity_other = models.CharField("その他の協力内容", max_length=200, blank=True)
    roster_consent = models.BooleanField("公開名簿への掲載に同意", default=False)
    roster_show_address = models.BooleanField("所在地を載せる", default=False)
    roster_show_phone = models.BooleanField("電話番号を載せる", default=False)
    roster_show_email = models.BooleanField("メールアドレスを載せる", default=False)
    roster_show_website = models.BooleanField("ウェブサイトを載せる", default=False)
    roster_show_representative = models.BooleanField("代表者名を載せる", default=False)
    rules_accepted = models.BooleanField("要綱と第10条の守秘義務に同意", default=False)
    pledge_version = models.ForeignKey(
        PledgeVersion, on_delete=models.PROTECT, related_name="+", verbose_name="同意した誓約文の版"
    )
    ip = models.GenericIPAddressField("送信元IPアドレス", null=True, blank=True)
    # registry.services.find_duplicates, computed when the application arrives or comes back revised.
    duplicate_hints = models.JSONField("重複の候補", default=list, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "登録申請"
        verbose_name_plural = "登録申請"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(rules_accepted=True), name="registry_application_rules_accepted"),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(body__isnull=False), name="registry_application_approved_has_body"
            ),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("registry:application_detail", args=[self.uuid])

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.CHANGES_REQUESTED)

    def activity_labels(self) -> list[str]:
        labels = dict(Activity.choices)
        return [labels.get(a, a) for a in self.activities]


class WithdrawalRequest(models.Model):
    """A business member's request that their body leave the network; the secretariat processes it."""

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="withdrawal_requests", verbose_name="構成機関"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="申し出た者"
    )
    requested_at = models.DateTimeField("申出日時", default=timezone.now)
    wished_on = models.DateField("退会希望日", null=True, blank=True)
    reason = models.TextField("理由", blank=True)
    processed_at = models.DateTimeField("処理日時", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "退会の申出"
        verbose_name_plural = "退会の申出"
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["body"], condition=Q(processed_at__isnull=True), name="registry_withdrawalrequest_one_open"
            )
        ]

    def __str__(self):
        return f"{self.body_id} / {self.requested_at:%Y-%m-%d}"


class AnnualReview(models.Model):
    """A body's answer to the 年度替わり review before 1 April: which of its people continue into the new
    fiscal year and which leave on 31 March. Answered once per body and fiscal year."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="annual_reviews", verbose_name="構成機関")
    fiscal_year = models.PositiveIntegerField("対象年度", help_text="新しい年度が始まる年（4月1日の年）。")
    answered_at = models.DateTimeField("回答日時", default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="回答した者"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度替わりの確認"
        verbose_name_plural = "年度替わりの確認"
        ordering = ["-fiscal_year", "body__name"]
        constraints = [
            models.UniqueConstraint(fields=["body", "fiscal_year"], name="registry_annualreview_unique_body_year")
        ]

    def __str__(self):
        return f"{self.body_id} / {self.fiscal_year}"


class AnnualReviewEntry(models.Model):
    """One person in a body's 年度替わり answer: continues, or leaves on 31 March."""

    review = models.ForeignKey(AnnualReview, on_delete=models.PROTECT, related_name="entries", verbose_name="確認")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="担当者")
    continues = models.BooleanField("新年度も継続")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度替わりの確認（担当者）"
        verbose_name_plural = "年度替わりの確認（担当者）"
        ordering = ["review", "person__name_kana"]
        constraints = [
            models.UniqueConstraint(fields=["review", "person"], name="registry_annualreviewentry_unique_person")
        ]

    def __str__(self):
        return f"{self.review_id} / {self.person_id}"
