from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "ケース調整（拠点）"

    def ready(self):
        from cases import documents  # noqa: F401 - registers the long summary's prepared download
