"""Signed-in sessions for each role (without the browser) and the pages the benchmark measures, as JSON.

A session holds what a real sign-in leaves in it: the account, the second factor's device (for the
two-factor roles), the session clock; each person has accepted the pledge. The pages name real
objects of the data set: the long case, an open referral of the department, a pending application.
"""

import json
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.core.management.base import BaseCommand
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from accounts import sessions
from accounts.access import requires_two_factor
from accounts.services import totp_device_create
from audit.models import AccessLog
from cases.models import Case, CaseAssignment, Referral
from registry import services
from registry.models import Application, Body, Person, PledgeVersion
from registry.system import system_user

Role = Person.Role


def make_user(name: str):
    return get_user_model().objects.get_or_create(username=name)[0]


def _session_key(user) -> str:
    engine = __import__(settings.SESSION_ENGINE, fromlist=["SessionStore"])
    session = engine.SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    now = time.time()
    session[sessions.SIGNED_IN_AT] = session[sessions.SEEN_AT] = now
    if requires_two_factor(user):
        session.update(sessions.two_factor_session_data(totp_device_create(user=user, by=None)))
    session.save()
    return session.session_key


class Command(BaseCommand):
    help = "ベンチマーク用に役割ごとのセッションと計測するページの一覧をJSONで出力します。"

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True)

    def handle(self, *args, output, **options):
        system = system_user()
        version = PledgeVersion.current()
        hub = Body.objects.get(code="hub")
        people = {
            role: Person.objects.filter(role=role, body__status=Body.Status.ACTIVE).order_by("pk").first()
            for role in (Role.HUB_WORKER, Role.HUB_SUPERVISOR, Role.SECRETARIAT, Role.BUSINESS_MEMBER)
        }
        # The department and the agency with the most open referrals: the fullest inbox.
        for role, kind in ((Role.DEPARTMENT_STAFF, Body.Kind.DEPARTMENT), (Role.AGENCY_STAFF, Body.Kind.AGENCY)):
            body = (
                Body.objects.filter(kind=kind)
                .annotate(n=Count("referrals_received", filter=~Q(referrals_received__status="returned")))
                .order_by("-n", "pk")
                .first()
            )
            people[role] = Person.objects.filter(body=body, role=role).order_by("pk").first() or services.person_create(
                user=make_user(f"bench-{role}"),
                body=body,
                role=role,
                name="計測 花子",
                name_kana="ケイソク ハナコ",
                by=system,
            )
        people[Role.SYSADMIN] = Person.objects.filter(role=Role.SYSADMIN).first() or services.person_create(
            user=make_user("bench-sysadmin"),
            body=hub,
            role=Role.SYSADMIN,
            name="計測 次郎",
            name_kana="ケイソク ジロウ",
            by=system,
        )
        for person in people.values():
            services.pledge_accept(person=person, version=version, ip="127.0.0.1", by=person.user)

        long_case = Case.objects.annotate(n=Count("consultations")).order_by("-n").first()
        worker_case = (
            CaseAssignment.objects.filter(person=people[Role.HUB_WORKER], ended_at__isnull=True)
            .values_list("case__uuid", flat=True)
            .first()
        )
        referral = Referral.objects.filter(to_body=people[Role.DEPARTMENT_STAFF].body).order_by("-sent_at").first()
        application = Application.objects.filter(status=Application.Status.PENDING).order_by("pk").last()
        body = people[Role.BUSINESS_MEMBER].body
        someone = AccessLog.objects.filter(person__isnull=False).order_by("pk").values_list("person__name", flat=True)
        year_ago = timezone.localdate().replace(year=timezone.localdate().year - 1)

        pages = {
            "anonymous": [
                ("公開名簿", reverse("registry:roster_public")),
                ("登録申請フォーム", reverse("registry:signup")),
            ],
            Role.SECRETARIAT: [
                ("ホーム", "/"),
                ("構成機関一覧", reverse("registry:body_list")),
                ("構成機関", reverse("registry:body_detail", args=[body.pk])),
                ("申請一覧", reverse("registry:application_list")),
                ("申請（重複の候補）", reverse("registry:application_detail", args=[application.uuid])),
                ("アクセスログ", reverse("audit:accesslog_list")),
                (
                    "アクセスログ ?person=",
                    reverse("audit:accesslog_list") + "?" + urlencode({"person": someone.first()}),
                ),
                ("アクセスログ ?target=", reverse("audit:accesslog_list") + f"?target={body.pk}"),
                ("変更記録", reverse("audit:change_list")),
                ("サインイン記録", reverse("audit:signin_list")),
                ("活動報告（今年度）", reverse("reports:network_report")),
            ],
            Role.HUB_SUPERVISOR: [
                ("統括ホーム", reverse("cases:supervisor_home")),
                ("ケース（300件の相談）", reverse("cases:case_detail", args=[long_case.uuid])),
                ("アクセスログ", reverse("audit:accesslog_list")),
                ("アクセスログ ?target=", reverse("audit:accesslog_list") + f"?target={long_case.number}"),
                ("変更記録", reverse("audit:change_list")),
                ("ケース検索", reverse("cases:case_search")),
                ("ケースの統計（今年度）", reverse("reports:case_report")),
            ],
            Role.HUB_WORKER: [
                ("相談員ホーム", reverse("cases:worker_home")),
                ("受付キュー", reverse("cases:intake_queue")),
                ("ケース", reverse("cases:case_detail", args=[worker_case])),
                ("構成機関一覧", reverse("registry:body_list")),
            ],
            Role.DEPARTMENT_STAFF: [
                ("依頼の一覧", reverse("cases:referral_inbox")),
                ("依頼", reverse("cases:referral_detail", args=[referral.uuid])),
                ("ホーム", "/"),
            ],
            Role.AGENCY_STAFF: [("依頼の一覧", reverse("cases:referral_inbox"))],
            Role.BUSINESS_MEMBER: [
                ("事業所ページ", reverse("registry:business_home")),
                ("情報提供フォーム", reverse("cases:info_create")),
                ("送った情報提供", reverse("cases:info_sent_list")),
            ],
            Role.SYSADMIN: [("構成機関一覧", reverse("registry:body_list"))],
        }
        csv = ("prepared", reverse("audit:accesslog_list"))  # a POST from that page, built by the worker
        exports = {
            Role.SECRETARIAT: [
                ("名簿PDF", reverse("registry:roster_pdf"), "prepared", reverse("registry:body_list")),
                ("名簿xlsx", reverse("registry:roster_xlsx")),
                ("名簿CSV", reverse("registry:roster_csv")),
                ("アクセスログCSV（1年）", reverse("audit:accesslog_csv") + f"?date_from={year_ago}", *csv),
                ("アクセスログCSV（全期間）", reverse("audit:accesslog_csv"), *csv),
                # The fiscal-year report (issue 14: under 3 s), a POST from its screen, built by the worker.
                ("活動報告PDF", reverse("reports:network_report_pdf"), "prepared", reverse("reports:network_report")),
            ],
            Role.HUB_SUPERVISOR: [
                # Over 100 consultations the link queues the file for the worker (cases.views.case_pdf).
                (
                    "ケース概要PDF（300件の相談）",
                    reverse("cases:case_pdf", args=[long_case.uuid]),
                    "prepared-get",
                    reverse("cases:case_detail", args=[long_case.uuid]),
                ),
                ("アクセスログCSV（1年）", reverse("audit:accesslog_csv") + f"?date_from={year_ago}", *csv),
                (
                    "活動報告PDF（ケースの統計を含む）",
                    reverse("reports:case_report_pdf"),
                    "prepared",
                    reverse("reports:case_report"),
                ),
            ],
        }
        data = {
            "sessions": {role: _session_key(person.user) for role, person in people.items()},
            "baseline": "/bench/baseline/",
            "pages": pages,
            "exports": exports,
            "consultations_in_long_case": long_case.n,
        }
        with open(output, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=1)
        self.stdout.write(f"{len(data['sessions'])} sessions, {sum(len(v) for v in pages.values())} pages → {output}")
