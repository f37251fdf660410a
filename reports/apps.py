from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "報告・統計"

    def ready(self):
        from reports import documents  # noqa: F401  (registers the prepared report PDF)
