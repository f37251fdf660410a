import datetime

from django.core.management.base import BaseCommand

from ageo_network.tasks import requeue_stalled_mail


class Command(BaseCommand):
    help = "作業プロセスが送信中に止まったメールを、もう一度送信待ちにします（10分ごとの実行を想定）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes", type=int, default=15, help="これより長く「実行中」のままのメールを対象にします"
        )

    def handle(self, *args, minutes, **options):
        count = requeue_stalled_mail(older_than=datetime.timedelta(minutes=minutes))
        self.stdout.write(f"送信中に止まったメール {count}件を送信待ちに戻しました。")
