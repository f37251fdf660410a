from django.core.management.base import BaseCommand

from registry import services
from registry.system import system_user


class Command(BaseCommand):
    help = "終了日が来た担当者のアカウントを停止し、すべてのセッションを終了します（毎日実行）。"

    def handle(self, *args, **options):
        count = services.memberships_end_due(by=system_user())
        self.stdout.write(f"{count}人のアカウントを停止しました。")
