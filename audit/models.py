import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class AccessLog(models.Model):
    """One read of confidential data, or one refused attempt: who, from where, on which basis. Never content."""

    class Action(models.TextChoices):
        VIEW = "view", "閲覧"
        LIST = "list", "一覧"
        PDF = "pdf", "PDF出力"
        EXPORT = "export", "エクスポート"
        CHANGE = "change", "変更"
        BREAK_GLASS = "break_glass", "緊急閲覧の開始"
        AUDIT = "audit", "監査画面の閲覧"

    class Basis(models.TextChoices):
        ASSIGNMENT = "assignment", "担当"
        SUPERVISION = "supervision", "統括"
        REFERRAL = "referral", "依頼先"
        MEETING = "meeting", "個別ケース検討会議"
        BREAK_GLASS = "break_glass", "緊急閲覧"
        ROLE = "role", "役割"
        NONE = "none", "なし"

    class Outcome(models.TextChoices):
        ALLOWED = "allowed", "許可"
        DENIED = "denied", "拒否"

    class Scope(models.TextChoices):
        """Whose audit screen shows the row: the hub supervisor audits the case side, the secretariat the rest."""

        CASE = "case", "ケース記録"
        NETWORK = "network", "ネットワーク記録"

    at = models.DateTimeField("日時", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_logs",
        verbose_name="アカウント",
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_logs",
        verbose_name="担当者",
    )
    body = models.ForeignKey(
        "registry.Body",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_logs",
        verbose_name="所属機関",
    )
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    object_type = models.CharField("対象の種類", max_length=60)
    object_id = models.CharField("対象ID", max_length=64, blank=True)
    object_label = models.CharField("対象（番号）", max_length=64, blank=True)
    case_ref = models.CharField(
        "ケースID", max_length=64, blank=True, db_index=True, help_text="ケースに関わる記録ではケースの不透明ID。"
    )
    scope = models.CharField("監査の区分", max_length=10, choices=Scope.choices, db_index=True)
    basis = models.CharField("根拠", max_length=20, choices=Basis.choices, default=Basis.NONE)
    outcome = models.CharField("結果", max_length=10, choices=Outcome.choices)
    reason = models.CharField("理由", max_length=300, blank=True)
    ip = models.GenericIPAddressField("IPアドレス", null=True, blank=True)

    class Meta:
        verbose_name = "アクセスログ"
        verbose_name_plural = "アクセスログ"
        ordering = ["-at", "-id"]
        permissions = [
            ("view_case_audit", "ケースのアクセス・変更記録を閲覧できる"),
            ("view_registry_audit", "ケース以外のアクセス・変更記録を閲覧できる"),
        ]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_accesslog_object_idx"),
            # The audit screens' target filter: a case number, an opaque id or a case reference.
            models.Index(fields=["object_label"], name="audit_accesslog_label_idx"),
            models.Index(fields=["object_id"], name="audit_accesslog_objectid_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_type}#{self.object_label or self.object_id}"


class SignInEvent(models.Model):
    """A sign-in, failure, lockout, sign-out or password change."""

    class Kind(models.TextChoices):
        LOGIN = "login", "ログイン"
        FAILURE = "failure", "ログイン失敗"
        LOCKOUT = "lockout", "ロックアウト"
        LOGOUT = "logout", "ログアウト"
        PASSWORD_CHANGE = "password_change", "パスワード変更"
        OTP_FAILURE = "otp_failure", "二要素認証の失敗"
        SESSION_EXPIRED = "session_expired", "セッション期限切れ"
        ACCESS_ENDED = "access_ended", "資格喪失による切断"
        SESSIONS_ENDED = "sessions_ended", "全セッションの終了"
        RESET_REQUESTED = "reset_requested", "パスワード再設定の依頼"

    at = models.DateTimeField("日時", auto_now_add=True, db_index=True)
    kind = models.CharField("種類", max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signin_events",
        verbose_name="アカウント",
    )
    username = models.CharField("入力されたユーザー名", max_length=150, blank=True)
    ip = models.GenericIPAddressField("IPアドレス", null=True, blank=True)

    class Meta:
        verbose_name = "ログイン記録"
        verbose_name_plural = "ログイン記録"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"


class PreparedDownload(models.Model):
    """A file built in the worker for one person (a long export or PDF), kept outside the web root until it expires.

    The one way a file that takes more than a few seconds leaves the site: the request only queues it
    (audit.exports.download_request), the worker streams it to private storage, the person fetches it
    from "my downloads"; making it and each download are access-log rows."""

    class Status(models.TextChoices):
        QUEUED = "queued", "準備中"
        READY = "ready", "ダウンロードできます"
        FAILED = "failed", "作成できませんでした"

    uuid = models.UUIDField("ID", default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="prepared_downloads", verbose_name="依頼者"
    )
    kind = models.CharField("種類", max_length=60)
    title = models.CharField("名称", max_length=200)
    params = models.JSONField("条件", default=dict, blank=True)
    scope = models.CharField("監査の区分", max_length=10, choices=AccessLog.Scope.choices)
    object_label = models.CharField("対象（番号）", max_length=64, blank=True)
    case_ref = models.CharField("ケースID", max_length=64, blank=True)
    status = models.CharField("状態", max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_at = models.DateTimeField("依頼日時", auto_now_add=True)
    finished_at = models.DateTimeField("作成日時", null=True, blank=True)
    expires_at = models.DateTimeField("削除予定", db_index=True)
    filename = models.CharField("ファイル名", max_length=200, blank=True)
    content_type = models.CharField("形式", max_length=100, blank=True)
    path = models.CharField("保存先", max_length=200, blank=True, editable=False)
    size = models.PositiveBigIntegerField("サイズ（バイト）", default=0)
    error = models.CharField("エラー", max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "準備したダウンロード"
        verbose_name_plural = "準備したダウンロード"
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"{self.kind} {self.uuid}"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY


class Tombstone(models.Model):
    """What the retention purge removed: the kind of record, its number, when and under which rule. Never content.

    Write-once (append_only: the triggers of audit/triggers.py refuse UPDATE and DELETE), so it has no history.
    """

    class Kind(models.TextChoices):
        CASE = "case", "ケース"
        INFORMATION = "information", "情報提供（ケースにしなかったもの）"
        APPLICATION = "application", "登録申請（却下）"
        EVENT_REGISTRANT = "event_registrant", "行事の一般申込者"
        ACCESS_LOG = "access_log", "アクセスログ"
        SIGN_IN_EVENT = "sign_in_event", "ログイン記録"

    append_only = True

    kind = models.CharField("種類", max_length=20, choices=Kind.choices)
    identifier = models.CharField("番号", max_length=64, blank=True)
    count = models.PositiveIntegerField("件数", default=1)
    rule = models.CharField("規則", max_length=100)
    purged_at = models.DateTimeField("削除日時", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "削除の記録"
        verbose_name_plural = "削除の記録"
        ordering = ["-purged_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.identifier} {self.purged_at:%Y-%m-%d}"
