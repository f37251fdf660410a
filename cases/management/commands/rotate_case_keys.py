"""Re-encrypt every encrypted case column, history included, under the newest key of CASE_ENCRYPTION_KEYS,
so that an old key can be retired.

Procedure: put the new key FIRST in CASE_ENCRYPTION_KEYS, keep the old ones after it, restart, run this
command, then `rotate_case_keys --check` (it must list nothing), then remove the old key and restart.

Current rows are read (any configured key decrypts) and saved again (the first key encrypts), as the
system account, leaving a history row that says so. History rows are append-only: the triggers of
audit/triggers.py refuse UPDATE, so their ciphertext is replaced through the one controlled path
(`audit.purge.rewrite_history`, the SECURITY DEFINER function `audit_rewrite_history`), which accepts
only encrypted columns and only Fernet tokens, and records each use in `audit_guard.path_log`. The
content of a history row does not change, only the key it is encrypted under.
`--check` counts, per table, the rows the newest key alone cannot read.
"""

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from ageo_network.history import save_tracked
from audit.purge import rewrite_history
from cases.fields import EncryptedTextField, multifernet
from registry.system import system_user

BATCH = 200
CHANGE_REASON = "暗号鍵の更新（内容の変更なし）"


def encrypted_models(include_history: bool, only_history: bool = False):
    # Every app: the meetings app keeps case-review sheets in an encrypted column too.
    for model in apps.get_models():
        is_history = model._meta.model_name.startswith("historical")
        if (is_history and not include_history) or (only_history and not is_history):
            continue
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            yield model, fields


class Command(BaseCommand):
    help = "ケースの暗号化列（履歴を含む）を CASE_ENCRYPTION_KEYS の先頭の鍵で暗号化し直します。"

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
        for model, fields in encrypted_models(include_history=True, only_history=True):
            count = rewrite_history_table(model, fields)
            total += count
            self.stdout.write(f"{model._meta.verbose_name}: {count}件")
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


def rewrite_history_table(model, fields) -> int:
    """Re-encrypt the history rows of one table not yet under the newest key; returns how many were rewritten."""
    newest = Fernet(settings.CASE_ENCRYPTION_KEYS[0])
    every_key = multifernet()
    quote = connection.ops.quote_name
    columns = [f.column for f in fields]
    select = (
        f"SELECT history_id, {', '.join(quote(c) for c in columns)} FROM {quote(model._meta.db_table)}"  # noqa: S608
        " WHERE history_id > %s ORDER BY history_id LIMIT %s"
    )
    last, rewritten = 0, 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(select, [last, BATCH])
            rows = cursor.fetchall()
        if not rows:
            return rewritten
        with transaction.atomic():
            for history_id, *values in rows:
                tokens = {
                    column: every_key.rotate(value.encode("ascii")).decode("ascii")
                    for column, value in zip(columns, values, strict=True)
                    if value and not _readable(newest, value)
                }
                if tokens:
                    rewrite_history(model, history_id, tokens)
                    rewritten += 1
        last = rows[-1][0]


def _readable(fernet: Fernet, token: str) -> bool:
    try:
        fernet.decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True
