from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "構成機関・名簿"

    def ready(self):
        from registry import documents, signals  # noqa: F401 - documents registers its prepared downloads

        signals.connect()
