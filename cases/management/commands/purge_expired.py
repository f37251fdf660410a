"""Remove what the retention schedule says is due (cases/retention.py; README "Retention"). Run it daily.

`--dry-run` lists what would go (case and receipt numbers, counts) and changes nothing.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from audit.models import Tombstone
from cases.retention import purge_expired
from registry.system import system_user


class Command(BaseCommand):
    help = "保存期間を過ぎた記録（履歴を含む）を削除し、削除の記録を残します。毎日実行してください。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="削除はせず、削除の対象だけを表示します。")

    def handle(self, *args, dry_run=False, **options):
        report = purge_expired(today=timezone.localdate(), by=system_user(), dry_run=dry_run)
        labels = dict(Tombstone.Kind.choices)
        verb = "削除の対象" if dry_run else "削除しました"
        for kind, value in report.items():
            if isinstance(value, list):
                numbers = "、".join(value)
                self.stdout.write(f"{labels[kind]}：{len(value)}件{'（' + numbers + '）' if numbers else ''}")
            else:
                self.stdout.write(f"{labels[kind]}：{value}件")
        self.stdout.write(self.style.SUCCESS(f"{verb}（{'試行のみ、変更なし' if dry_run else '完了'}）"))
