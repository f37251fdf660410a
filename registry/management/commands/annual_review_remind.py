from django.core.management.base import BaseCommand

from registry import services
from registry.selectors import review_season
from registry.system import system_user


class Command(BaseCommand):
    help = "年度替わりの確認に未回答の機関の担当者に、確認のお願いをメールで送ります（2〜3月に定期実行）。"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="2〜3月以外でも送る")

    def handle(self, *args, force=False, **options):
        if not (force or review_season()):
            self.stdout.write("年度替わりの確認の期間（2〜3月）ではないため、送りませんでした。")
            return
        count = services.annual_review_remind(year=services.review_year(), by=system_user())
        self.stdout.write(f"未回答の{count}機関に確認のお願いを送りました。")
