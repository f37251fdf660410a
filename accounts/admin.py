"""The two-factor devices in the admin, in Japanese.

django-otp has no translations and names its models in plain strings; the system administrator removes a
lost phone's devices here (README, Sign-in). The names are set on the running models' options only
(accounts.apps), never on the fields, so no migration of the third-party apps follows.
"""

from django.contrib import admin
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice


class _ConfirmedFilter(admin.BooleanFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "設定済み"


class _CreatedFilter(admin.DateFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "作成日時"


class _JapaneseDeviceColumns:
    list_display = ["account", "device_name", "created", "last_used", "is_confirmed"]
    list_filter = [("created_at", _CreatedFilter), ("confirmed", _ConfirmedFilter)]
    search_help_text = "ユーザー名またはメールアドレスで検索します。"
    fieldsets = [
        ("端末", {"fields": ["user", "name", "confirmed"]}),
        ("日時", {"fields": ["created_at", "last_used_at"]}),
    ]

    @admin.display(description="アカウント", ordering="user__username")
    def account(self, obj):
        return obj.user

    @admin.display(description="名前", ordering="name")
    def device_name(self, obj):
        return obj.name

    @admin.display(description="作成日時", ordering="created_at")
    def created(self, obj):
        return obj.created_at

    @admin.display(description="最終使用日時", ordering="last_used_at")
    def last_used(self, obj):
        return obj.last_used_at

    @admin.display(description="設定済み", boolean=True, ordering="confirmed")
    def is_confirmed(self, obj):
        return obj.confirmed


class TOTPDeviceJapaneseAdmin(_JapaneseDeviceColumns, TOTPDeviceAdmin):
    def get_fieldsets(self, request, obj=None):
        # The secret and the clock settings stay hidden (OTP_ADMIN_HIDE_SENSITIVE_DATA); a device is only removed.
        return self.fieldsets


class StaticDeviceJapaneseAdmin(_JapaneseDeviceColumns, StaticDeviceAdmin):
    pass


for model, model_admin in [(TOTPDevice, TOTPDeviceJapaneseAdmin), (StaticDevice, StaticDeviceJapaneseAdmin)]:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
