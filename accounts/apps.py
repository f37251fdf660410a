from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "ログイン"

    def ready(self):
        from accounts import receivers  # noqa: F401
