"""Load the fictitious demo network (issue 15) into a database that is not production."""

import contextlib
import logging
import time
from unittest import mock

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from registry.management.commands.demo_accounts import DEMO_ACCOUNTS
from registry.models import Body

# The first business the demo registers: when it exists, the demo is loaded.
SENTINEL_NAME = "あおばレディースクリニック（架空）"


class _MailCounter:
    """Stands in for the mail task while the demo loads: the fictitious people get no mail, and the
    worker beside `make run` is not flooded with a half-year of notices."""

    def __init__(self):
        self.count = 0

    def enqueue(self, **kwargs):
        self.count += 1


class Command(BaseCommand):
    help = "架空のデモネットワーク（半年分の活動）を読み込みます（DEBUG=true のときだけ。2回目以降は何もしません）。"

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "デモデータは DEBUG=true のデモ環境でのみ読み込めます（本番のデータベースには読み込めません）。"
            )
        if Body.objects.filter(kind=Body.Kind.BUSINESS, name=SENTINEL_NAME).exists():
            self.stdout.write("デモデータは読み込み済みです（何も変更していません）。")
            return
        usernames = [row[0] for row in DEMO_ACCOUNTS]
        if get_user_model().objects.filter(username__in=usernames).count() != len(usernames):
            raise CommandError(
                "先に load_bodies と demo_accounts を実行してください（make demo-db が順に実行します）。"
            )
        began = time.monotonic()
        mail = _MailCounter()
        with contextlib.ExitStack() as stack:
            stack.enter_context(mock.patch("ageo_network.mail.send_email", mail))
            stack.enter_context(mock.patch.object(logging.getLogger("ageo_network.mail"), "disabled", True))
            stack.enter_context(transaction.atomic())
            summary = self._build()
        self.stdout.write(
            f"デモデータを読み込みました（{time.monotonic() - began:.1f}秒）: {summary}。"
            f"通知メール{mail.count}通は送信していません（架空の宛先のため）。"
        )

    def _build(self) -> str:
        try:
            from demo import cases, meetings, outreach, registry
            from demo.base import new_world
        except ImportError as error:  # faker and time-machine come with the `demo` extra, which `make run` installs
            raise CommandError(
                f"デモに必要なパッケージがありません（{error.name}）。pip install -e '.[demo]' を実行してください。"
            ) from error

        world = new_world()
        registry.build(world)
        case_map = cases.build(world)
        meetings.build(world, case_map)
        outreach.build(world)
        businesses = Body.objects.filter(kind=Body.Kind.BUSINESS).count()
        return f"登録事業所{businesses}、ケース{len(case_map) + 3}件（{world.start}〜{world.today}）"
