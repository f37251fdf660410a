from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "監査ログ"

    def ready(self):
        from audit import signals  # documents registers its prepared-download builders

        signals.connect()
