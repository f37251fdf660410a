from django.core.management.base import BaseCommand
from django.utils import timezone

from meetings.services import minutes_remind_due
from registry.system import system_user


class Command(BaseCommand):
    help = "確認の期限の前日に、会議録（案）をまだ確認していない出席者へ催促のメールを送ります（1日1回の実行を想定）。"

    def handle(self, *args, **options):
        sent = minutes_remind_due(today=timezone.localdate(), by=system_user())
        self.stdout.write(f"会議録の確認の催促を{sent}件送りました。")
