from django.core.management.base import BaseCommand
from django.utils import timezone

from outreach.services import public_registrants_purge
from registry.system import system_user


class Command(BaseCommand):
    help = (
        "行事の一般申込者の個人情報を、行事の終了から OUTREACH_PUBLIC_REGISTRANT_DAYS 日（既定 365日）"
        "を過ぎたら削除します。毎日の manage.py purge_expired がこれも行います。"
    )

    def handle(self, *args, **options):
        count = public_registrants_purge(today=timezone.localdate(), by=system_user())
        self.stdout.write(f"一般申込者 {count}件を削除しました。")
