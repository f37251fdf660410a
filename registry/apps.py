from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "構成機関・名簿"

    def ready(self):
        from registry import signals

        signals.connect()
