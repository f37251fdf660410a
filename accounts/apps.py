from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "ログイン"

    def ready(self):
        from accounts import receivers  # noqa: F401

        _name_the_device_models()


# django-otp names its apps and models in English plain strings (no catalogue to translate them). The running
# options are renamed; `original_attrs`, which migrations read, is left alone, so no migration follows.
OTP_NAMES = {
    "otp_totp": ("二要素認証（認証アプリ）", "totpdevice", "認証アプリ"),
    "otp_static": ("二要素認証（バックアップコード）", "staticdevice", "バックアップコード"),
}


def _name_the_device_models():
    from django.apps import apps

    for label, (app_name, model_name, model_label) in OTP_NAMES.items():
        if not apps.is_installed(f"django_otp.plugins.{label}"):
            continue
        config = apps.get_app_config(label)
        config.verbose_name = app_name
        model = config.get_model(model_name)
        model._meta.verbose_name = model_label
        model._meta.verbose_name_plural = model_label
    if apps.is_installed("axes"):
        apps.get_app_config("axes").verbose_name = "ログイン失敗とロックアウト"
