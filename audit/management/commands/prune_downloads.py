from django.core.management.base import BaseCommand

from audit.exports import prune


class Command(BaseCommand):
    help = "期限（DOWNLOADS_KEEP_HOURS、既定24時間）を過ぎた準備済みダウンロードのファイルを削除します。毎時実行してください。"

    def handle(self, *args, **options):
        self.stdout.write(f"削除: {prune()}件")
