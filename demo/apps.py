from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The fictitious demo network that `make run` loads (manage.py load_demo). No models; nothing imports it."""

    name = "demo"
    verbose_name = "デモデータ"
