from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.access import requires_two_factor
from accounts.services import backup_codes_add, totp_device_create
from registry import services
from registry.models import Body, Person

Role = Person.Role

# username, role, body code (None: the demo business), name (marked fictitious, as everything of the demo)
DEMO_ACCOUNTS = [
    ("demo-secretariat", Role.SECRETARIAT, "dept-jinken-danjo", "事務局 花子（架空）"),
    ("demo-hub", Role.HUB_WORKER, "hub", "相談 良子（架空）"),
    ("demo-supervisor", Role.HUB_SUPERVISOR, "hub", "統括 恵子（架空）"),
    ("demo-department", Role.DEPARTMENT_STAFF, "dept-seikatsu-shien", "生活 支子（架空）"),
    ("demo-agency", Role.AGENCY_STAFF, "agency-yakuzaishikai", "薬剤 師子（架空）"),
    ("demo-business", Role.BUSINESS_MEMBER, None, "薬局 店子（架空）"),
    ("demo-sysadmin", Role.SYSADMIN, "dept-jinken-danjo", "情報 管理子（架空）"),
]
DEMO_BUSINESS = "デモ薬局（架空）"


def demo_password(username: str) -> str:
    return f"{username}-pass-2024"


class Command(BaseCommand):
    help = "デモ用アカウントを役割ごとに1つ作成します（DEBUG=true のときだけ）。"

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("デモアカウントは DEBUG=true のデモ環境でのみ作成できます。")
        with transaction.atomic():
            rows = [self._ensure(*account) for account in DEMO_ACCOUNTS]
        self.stdout.write("デモアカウント（ユーザー名 / パスワード / バックアップコード / 役割）:")
        for username, password, code, role in rows:
            self.stdout.write(f"  {username:18} {password:28} {code or '-':10} {role}")
        self.stdout.write(
            "バックアップコードは二要素認証の画面で1回だけ使えます（実行するたびに新しいコードを1つ追加します）。"
        )

    def _ensure(self, username, role, body_code, name):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username=username, password=demo_password(username))
            user.is_staff = role == Role.SYSADMIN
            user.save(update_fields=["is_staff"])
            if body_code:
                body = Body.objects.get(code=body_code)
            else:
                body = Body.objects.filter(name=DEMO_BUSINESS).first() or Body.objects.create(
                    kind=Body.Kind.BUSINESS, name=DEMO_BUSINESS, name_kana="デモヤッキョク", in_city=True
                )
            services.person_create(user=user, body=body, role=role, name=name, by=None)
        code = ""
        if requires_two_factor(user):
            # A confirmed authenticator (its secret is not shown) and one fresh backup code per run.
            totp_device_create(user=user, by=None)
            code = backup_codes_add(user=user, count=1, by=None)[0]
        return username, demo_password(username), code, Role(role).label
