"""Re-encrypt every encrypted case column under the newest key of CASE_ENCRYPTION_KEYS.

Procedure: put the new key FIRST in CASE_ENCRYPTION_KEYS, keep the old ones after it, restart,
run this command. Every current row is read (any configured key decrypts) and saved again
(the first key encrypts), as the system account, leaving a history row that says so.

History rows are append-only: the database triggers of audit/triggers.py refuse UPDATE, so the
history rows written before the rotation keep their old ciphertext. They stay readable only while
the old key remains configured after the new one. Retiring an old key therefore makes the history
written under it unreadable; `--check` counts, per table, the rows the newest key alone cannot read.
"""

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from ageo_network.history import save_tracked
from cases.fields import EncryptedTextField
from registry.system import system_user

BATCH = 200
CHANGE_REASON = "暗号鍵の更新（内容の変更なし）"


def encrypted_models(include_history: bool):
    for model in apps.get_app_config("cases").get_models():
        is_history = model._meta.model_name.startswith("historical")
        if is_history and not include_history:
            continue
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            yield model, fields


class Command(BaseCommand):
    help = "ケースの暗号化列を CASE_ENCRYPTION_KEYS の先頭の鍵で暗号化し直します（履歴は追記専用のため旧鍵のまま）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="再暗号化はせず、先頭の鍵だけでは読めない行の数を表示します。"
        )

    def handle(self, *args, check=False, **options):
        if check:
            return self.check_tables()
        by = system_user()
        total = 0
        for model, fields in encrypted_models(include_history=False):
            names = [f.name for f in fields]
            pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(pks), BATCH):
                with transaction.atomic():
                    for obj in model.objects.select_for_update().filter(pk__in=pks[start : start + BATCH]):
                        # Only the ciphertext changes: no validation that a row's content could fail.
                        save_tracked(obj, by=by, update_fields=names, reason=CHANGE_REASON, clean=False)
                        total += 1
            self.stdout.write(f"{model._meta.verbose_name}: {len(pks)}件")
        self.stdout.write(self.style.SUCCESS(f"{total}件を新しい鍵で暗号化し直しました。"))
        self.check_tables()

    def check_tables(self):
        newest = Fernet(settings.CASE_ENCRYPTION_KEYS[0])
        quote = connection.ops.quote_name
        for model, fields in encrypted_models(include_history=True):
            columns = ", ".join(quote(f.column) for f in fields)
            stale = 0
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {columns} FROM {quote(model._meta.db_table)}")  # noqa: S608 (names from models)
                for row in cursor.fetchall():
                    if any(value and not _readable(newest, value) for value in row):
                        stale += 1
            if stale:
                self.stdout.write(f"{model._meta.db_table}: 先頭の鍵だけでは読めない行 {stale}件（旧鍵が必要）")
        return None


def _readable(fernet: Fernet, token: str) -> bool:
    try:
        fernet.decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True
