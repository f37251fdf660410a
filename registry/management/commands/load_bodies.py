from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from registry.models import Body
from registry.system import system_user


class Command(BaseCommand):
    help = "初期データの構成機関（拠点・14部署・11関係機関）を読み込みます。何度実行しても重複しません。"

    def handle(self, *args, **options):
        with transaction.atomic():
            call_command("loaddata", "bodies", verbosity=0)
            # loaddata saves raw rows without history; record the creation as the system account.
            missing = list(Body.objects.filter(code__isnull=False).exclude(pk__in=Body.history.values("id")))
            if missing:
                Body.history.bulk_history_create(
                    missing, default_user=system_user(), default_change_reason="初期データ"
                )
        self.stdout.write(
            f"構成機関: {Body.objects.filter(code__isnull=False).count()}件（うち履歴を新規記録 {len(missing)}件）"
        )
