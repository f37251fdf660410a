from django.core.management.base import BaseCommand
from django.utils import timezone

from cases.services import send_due_reminders
from registry.system import system_user


class Command(BaseCommand):
    help = "住民票の支援措置の期限（30日前）とフォローアップの予定日の通知メールを送ります（1日1回の実行を想定）。"

    def handle(self, *args, **options):
        sent = send_due_reminders(today=timezone.localdate(), by=system_user())
        self.stdout.write(
            f"支援措置の期限通知 {sent['address_protection']}件、フォローアップの通知 {sent['follow_up']}件を送りました。"
        )
