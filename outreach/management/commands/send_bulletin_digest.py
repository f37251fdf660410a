import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from outreach.services import bulletin_digest_send


class Command(BaseCommand):
    help = "掲示板のまとめメール（直近7日の投稿の題名）を、受け取りを選んだ機関に送ります。週に1回実行してください。"

    def handle(self, *args, **options):
        count = bulletin_digest_send(since=timezone.now() - datetime.timedelta(days=7))
        self.stdout.write(f"まとめメール {count}通をキューに入れました。")
