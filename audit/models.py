from django.conf import settings
from django.db import models


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
        verbose_name = "サインイン記録"
        verbose_name_plural = "サインイン記録"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"
