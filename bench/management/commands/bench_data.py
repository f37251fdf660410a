"""The benchmark's data set: what a mid-sized city's network accumulates over `--years` fiscal years.

At 10 years: about 2,000 bodies, 6,000 people, 5,000 cases with 50,000 consultations, 5 million
access-log rows and a million sign-in events. Everything scales linearly with the years (and with
`--scale`, for a quick run), except what does not grow with time: about 300 open cases, a handful of
pending applications, one case with 300 consultations (the long case summary PDF).

The case data goes through the model fields (real Fernet ciphertext, history rows included); the two
big log tables are written by SQL `generate_series`. Writes bypass the services on purpose (bulk
inserts: the services take a row lock and a history row per object), so this command exists only in
the benchmark settings. Run it on an empty, migrated database.
"""

import datetime
import random
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cases.fields import search_hash
from cases.models import (
    Case,
    CaseAssignment,
    Consultation,
    Information,
    NumberCounter,
    PlanItem,
    ProblemCategory,
    Referral,
    RiskLevel,
    StageTransition,
)
from registry.models import Activity, Application, Body, BodyActivity, Person, PersonPledge, PledgeVersion
from registry.roles import group_name
from registry.services import find_duplicates
from registry.system import system_user

FULL = {  # at 10 years, scale 1
    "bodies": 2000,
    "people": 6000,
    "cases": 5000,
    "consultations": 50000,
    "access_logs": 5_000_000,
    "signin_events": 1_000_000,
}
OPEN_CASES = 300
PENDING_APPLICATIONS = 12
LONG_CASE_CONSULTATIONS = 300
HUB_WORKERS = 20

SURNAMES = [
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "佐々木",
    "山口",
    "松本",
    "井上",
    "木村",
    "林",
    "斎藤",
    "清水",
]
GIVEN = [
    "花子",
    "陽子",
    "恵子",
    "裕子",
    "美香",
    "直美",
    "由美",
    "明美",
    "真理",
    "久美子",
    "智子",
    "幸子",
    "京子",
    "優子",
    "洋子",
    "愛",
    "彩",
    "葵",
    "結衣",
    "美咲",
]
KANA_S = ["サトウ", "スズキ", "タカハシ", "タナカ", "イトウ", "ワタナベ", "ヤマモト", "ナカムラ", "コバヤシ", "カトウ"]
SHOP_KINDS = [
    ("pharmacy", "薬局"),
    ("clinic", "クリニック"),
    ("dental", "歯科医院"),
    ("shop", "美容室"),
    ("company", "株式会社"),
    ("npo", "NPO法人"),
    ("gathering", "地域の居場所"),
]
TOWNS = [
    "上",
    "原市",
    "小敷谷",
    "平方",
    "大谷",
    "上平",
    "瓦葺",
    "柏座",
    "仲町",
    "宮本町",
    "愛宕",
    "春日",
    "緑丘",
    "日の出",
]
CONSULTATION_TEXT = (
    "本人から電話。夫からの暴言が続いており、子どもの前でも怒鳴られることがあると話す。"
    "生活費を渡されない月があり、パート収入だけでは家賃が厳しい。今後の住まいと生活保護の相談を希望。"
)


# Floors, so that a quick run still has businesses, people and closed cases.
MINIMUM = {"bodies": 100, "people": 300, "cases": OPEN_CASES + 100, "consultations": 1000}


def _sizes(years: int, scale: float) -> dict:
    return {key: max(MINIMUM.get(key, 1), int(value * years / 10 * scale)) for key, value in FULL.items()}


class Command(BaseCommand):
    help = "ベンチマーク用のデータ（--years 年分）を空のデータベースに作ります。"

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--scale", type=float, default=1.0, help="件数の倍率（--quick 用）")
        parser.add_argument("--seed", type=int, default=12)

    def handle(self, *args, years, scale, seed, **options):
        if Case.objects.exists() or Body.objects.filter(code__isnull=True).exists():
            raise CommandError("データベースが空ではありません。新しいデータベースで実行してください。")
        self.rng = random.Random(seed)  # noqa: S311 - test data, not secrets
        self.now = timezone.now()
        self.start = self.now - datetime.timedelta(days=365 * years)
        self.sizes = _sizes(years, scale)
        self.system = system_user()
        call_command("load_bodies", verbosity=0)
        steps = [
            self.make_bodies,
            self.make_people,
            self.make_applications,
            self.make_cases,
            self.make_consultations,
            self.make_referrals,
            self.make_access_logs,
            self.make_signin_events,
        ]
        for step in steps:
            began = time.monotonic()
            with transaction.atomic():
                count = step()
            self.stdout.write(f"{step.__name__[5:]}: {count} ({time.monotonic() - began:.1f} s)")
        with connection.cursor() as cursor:
            # VACUUM as well: a live database's autovacuum has long set the hint bits and the visibility map of
            # old rows (index-only scans, capped counts); this machine's server runs with autovacuum off, and
            # without it every capped count re-dirtied the same freshly loaded pages.
            cursor.execute("VACUUM (ANALYZE)")

    # --- helpers -----------------------------------------------------------------------------

    def _when(self) -> datetime.datetime:
        return self.start + (self.now - self.start) * self.rng.random()

    def _name(self) -> str:
        return f"{self.rng.choice(SURNAMES)} {self.rng.choice(GIVEN)}"

    def _history(self, objs, model, date_attr=None):
        for obj in objs:
            obj._history_user = self.system
            if date_attr:
                obj._history_date = getattr(obj, date_attr)
        return bulk_create_with_history(objs, model, batch_size=2000, default_user=self.system)

    # --- registry ----------------------------------------------------------------------------

    def make_bodies(self) -> int:
        count = self.sizes["bodies"] - Body.objects.count()
        bodies = []
        for i in range(count):
            kind, label = self.rng.choice(SHOP_KINDS)
            town = self.rng.choice(TOWNS)
            joined = self._when().date()
            former = self.rng.random() < 0.08
            bodies.append(
                Body(
                    kind=Body.Kind.BUSINESS,
                    name=f"{label} あげお{town}{i + 1}",
                    name_kana=f"アゲオ{i + 1:05d}",
                    business_kind=kind,
                    representative=self._name(),
                    postal_code="362-0001",
                    address=f"埼玉県上尾市{town}{self.rng.randint(1, 9)}-{self.rng.randint(1, 30)}",
                    phone=f"048-7{i % 100:02d}-{i % 10000:04d}",
                    email=f"shop{i}@example.jp",
                    joined_on=joined,
                    status=Body.Status.FORMER if former else Body.Status.ACTIVE,
                    left_on=joined + datetime.timedelta(days=200) if former else None,
                    roster_consent=self.rng.random() < 0.7,
                    roster_show_address=True,
                    roster_show_phone=True,
                    roster_show_website=False,
                )
            )
        self._history(bodies, Body)
        activities = [
            BodyActivity(body=body, activity=activity)
            for body in bodies
            for activity in self.rng.sample([Activity.POSTER, Activity.LEAFLET, Activity.GATEKEEPER], 2)
        ]
        BodyActivity.objects.bulk_create(activities, batch_size=5000)
        return len(bodies)

    def make_people(self) -> int:
        password = make_password("bench-password-not-for-use")
        groups = {group.name: group for group in Group.objects.all()}
        hub = Body.objects.get(code="hub")
        city = list(Body.objects.filter(kind__in=[Body.Kind.DEPARTMENT, Body.Kind.AGENCY]))
        businesses = list(Body.objects.filter(kind=Body.Kind.BUSINESS))
        plan = [(hub, Person.Role.HUB_WORKER) for _ in range(HUB_WORKERS)]
        plan += [(hub, Person.Role.HUB_SUPERVISOR), (hub, Person.Role.SECRETARIAT)]
        rest = self.sizes["people"] - len(plan)
        for i in range(rest):
            if i % 4 == 0:
                body = self.rng.choice(city)
                role = Person.Role.DEPARTMENT_STAFF if body.kind == Body.Kind.DEPARTMENT else Person.Role.AGENCY_STAFF
            else:
                body, role = self.rng.choice(businesses), Person.Role.BUSINESS_MEMBER
            plan.append((body, role))
        User = get_user_model()
        users = User.objects.bulk_create(
            [User(username=f"bench{i:05d}", password=password, is_active=True) for i in range(len(plan))],
            batch_size=5000,
        )
        people = [
            Person(
                user=user,
                body=body,
                role=role,
                name=self._name(),
                name_kana="ベンチ タロウ",
                started_on=self.start.date(),
            )
            for user, (body, role) in zip(users, plan, strict=True)
        ]
        self._history(people, Person)
        Membership = User.groups.through
        Membership.objects.bulk_create(
            [Membership(user_id=p.user_id, group_id=groups[group_name(p.role)].pk) for p in people],
            batch_size=5000,
        )
        version = PledgeVersion.current()
        PersonPledge.objects.bulk_create([PersonPledge(person=p, version=version) for p in people], batch_size=5000)
        return len(people)

    def make_applications(self) -> int:
        version = PledgeVersion.current()
        businesses = list(Body.objects.filter(kind=Body.Kind.BUSINESS).order_by("pk"))
        apps = []
        for i, body in enumerate(businesses):
            submitted = datetime.datetime.combine(body.joined_on, datetime.time(10), self.now.tzinfo)
            apps.append(self._application(i, body.name, version, submitted, Application.Status.APPROVED, body))
        for j in range(PENDING_APPLICATIONS):
            # Half of them look like a body already in the network: the duplicate hints have work to do.
            name = businesses[j * 7 % len(businesses)].name if j % 2 else f"新規申請事業所{j}"
            submitted = self.now - datetime.timedelta(days=j)
            pending = self._application(len(businesses) + j, name, version, submitted, Application.Status.PENDING)
            pending.duplicate_hints = find_duplicates(pending)
            apps.append(pending)
        self._history(apps, Application, "submitted_at")
        return len(apps)

    def _application(self, i, name, version, submitted, status, body=None) -> Application:
        return Application(
            reference=f"B{i + 1:07d}",
            status=status,
            submitted_at=submitted,
            decided_at=submitted + datetime.timedelta(days=7) if body else None,
            decided_by=self.system if body else None,
            body=body,
            name=name,
            name_kana="アゲオ",
            business_kind="pharmacy",
            representative=self._name(),
            contact_name=self._name(),
            contact_kana="レンラク ハナコ",
            postal_code="362-0001",
            address="埼玉県上尾市上1-1",
            phone="048-700-0000",
            email=f"applicant{i}@example.jp",
            activities=["poster", "leaflet"],
            rules_accepted=True,
            pledge_version=version,
        )

    # --- cases -------------------------------------------------------------------------------

    def make_cases(self) -> int:
        workers = list(Person.objects.filter(role=Person.Role.HUB_WORKER).select_related("user"))
        total = self.sizes["cases"]
        opened = sorted(self._when() for _ in range(total - OPEN_CASES))
        recent = self.now - datetime.timedelta(days=300)
        opened += sorted(recent + (self.now - recent) * self.rng.random() for _ in range(OPEN_CASES))
        counters: dict[int, int] = {}
        cases = []
        for i, at in enumerate(opened):
            local = timezone.localtime(at)
            fy = local.year if local.month >= 4 else local.year - 1
            counters[fy] = counters.get(fy, 0) + 1
            is_open = i >= total - OPEN_CASES
            reading = f"{self.rng.choice(KANA_S)} ハナコ"
            stage = self.rng.choice(["consultation", "assessment", "support", "aftercare"]) if is_open else "closed"
            cases.append(
                Case(
                    number=f"R{fy - 2018}-{counters[fy]:04d}",
                    fiscal_year=fy,
                    sequence=counters[fy],
                    opened_at=at,
                    opened_by=self.rng.choice(workers).user,
                    name=self._name(),
                    name_reading=reading,
                    reading_hash=search_hash(reading),
                    age=self.rng.randint(18, 80),
                    household="夫、子ども2人（小学生）と同居",
                    phone=f"090-{self.rng.randint(1000, 9999)}-{self.rng.randint(1000, 9999)}",
                    address=f"埼玉県上尾市{self.rng.choice(TOWNS)}{self.rng.randint(1, 9)}-{self.rng.randint(1, 30)}",
                    safe_contact_method="携帯電話（平日昼間のみ）",
                    categories=self.rng.sample([c for c, _ in ProblemCategory.choices], 2),
                    risk_level=self.rng.choice([c for c, _ in RiskLevel.choices]),
                    risk_reason="加害者が居場所を探している可能性がある",
                    notes="次回面談で住まいの希望を確認する",
                    stage=stage,
                    closed_at=None if is_open else at + datetime.timedelta(days=120),
                    closure_reason="" if is_open else "自立した生活に移行したため",
                )
            )
        self._history(cases, Case, "opened_at")
        for fy, last in counters.items():
            NumberCounter.objects.create(kind=NumberCounter.Kind.CASE, fiscal_year=fy, last_value=last)
        StageTransition.objects.bulk_create(
            [StageTransition(case=c, to_stage=c.stage, at=c.opened_at, by=c.opened_by) for c in cases],
            batch_size=5000,
        )
        by_user = {w.user_id: w for w in workers}
        self._history(
            [
                CaseAssignment(case=c, person=by_user[c.opened_by_id], is_lead=True, assigned_by=c.opened_by)
                for c in cases
            ],
            CaseAssignment,
        )
        bodies = list(Body.objects.filter(kind=Body.Kind.BUSINESS, status=Body.Status.ACTIVE)[:200])
        info = [
            Information(
                receipt_number=f"J{i + 1:07d}",
                submitted_at=c.opened_at,
                submitted_by=c.opened_by,
                body=self.rng.choice(bodies),
                observation="店頭で顔にあざのある女性を見かけた。本人は大丈夫と話している。",
                awareness=Information.Awareness.KNOWS,
                triage=Information.Triage.OPENED,
                case=c,
            )
            for i, c in enumerate(cases)
            if i % 3 == 0
        ]
        info += [
            Information(
                receipt_number=f"P{j + 1:07d}",
                submitted_at=self.now - datetime.timedelta(hours=j),
                submitted_by=self.system,
                body=self.rng.choice(bodies),
                observation="相談したいという女性がいる。",
                awareness=Information.Awareness.AGREES,
            )
            for j in range(10)
        ]
        self._history(info, Information, "submitted_at")
        return len(cases)

    def make_consultations(self) -> int:
        cases = list(Case.objects.only("pk", "opened_at", "opened_by_id").order_by("pk"))
        long_case = cases[-1]
        total = self.sizes["consultations"] - LONG_CASE_CONSULTATIONS
        rows = []
        for _ in range(max(total, 0)):
            case = self.rng.choice(cases)
            rows.append(self._consultation(case, case.opened_at + datetime.timedelta(days=self.rng.randint(0, 200))))
        for k in range(LONG_CASE_CONSULTATIONS):
            rows.append(self._consultation(long_case, long_case.opened_at + datetime.timedelta(hours=k)))
        self._history(rows, Consultation, "at")
        return len(rows)

    def _consultation(self, case, at) -> Consultation:
        return Consultation(
            case=case,
            at=at,
            method=self.rng.choice(["visit", "phone", "email", "home_visit"]),
            worker_id=case.opened_by_id,
            content=CONSULTATION_TEXT,
            next_step="来週、生活福祉課へ同行する。",
        )

    def make_referrals(self) -> int:
        city = list(Body.objects.filter(kind__in=[Body.Kind.DEPARTMENT, Body.Kind.AGENCY]))
        cases = list(Case.objects.order_by("pk"))
        items, referrals = [], []
        for case in cases[::2]:
            body = self.rng.choice(city)
            items.append(
                PlanItem(
                    case=case,
                    service="livelihood_protection",
                    detail="生活保護の申請に同行",
                    responsible_body=body,
                    status="requested" if case.closed_at is None else "done",
                    due_on=(case.opened_at + datetime.timedelta(days=30)).date(),
                    created_at=case.opened_at,
                    created_by=case.opened_by,
                )
            )
        self._history(items, PlanItem, "created_at")
        for item in items:
            case = item.case
            is_open = case.closed_at is None
            referrals.append(
                Referral(
                    case=case,
                    plan_item=item,
                    to_body=item.responsible_body,
                    fields=["name", "phone", "categories"],
                    packet={"name": case.name, "phone": case.phone, "categories": "DV、生活困窮"},
                    request="生活保護の申請について相談に乗ってください。",
                    legal_basis=Referral.LegalBasis.LIFE_OR_BODY,
                    legal_basis_note="本人の安全のため",
                    status=Referral.Status.SENT if is_open else Referral.Status.RETURNED,
                    sent_at=case.opened_at + datetime.timedelta(days=3),
                    sent_by=case.opened_by,
                    returned_at=None if is_open else case.opened_at + datetime.timedelta(days=40),
                    returned_by=None if is_open else case.opened_by,
                    outcome="" if is_open else "申請を受理した",
                )
            )
        self._history(referrals, Referral, "sent_at")
        return len(referrals)

    # --- the two big log tables, in SQL ------------------------------------------------------

    def _without_indexes(self, cursor, table: str):
        """Drop the table's secondary indexes and return the statements that rebuild them: building an
        index once after five million inserts is several times faster than keeping nine up to date."""
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT LIKE %s",
            [table, "%_pkey"],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        return [definition for _, definition in indexes]

    def make_access_logs(self) -> int:
        n = self.sizes["access_logs"]
        with connection.cursor() as cursor:
            # Generated rows point at people and bodies that exist: skip the per-row foreign-key checks.
            cursor.execute("SET LOCAL session_replication_role = replica")
            rebuild = self._without_indexes(cursor, "audit_accesslog")
            cursor.execute(
                "CREATE TEMP TABLE bench_people AS SELECT row_number() OVER (ORDER BY id) AS k, id, user_id, body_id "
                "FROM registry_person"
            )
            cursor.execute(
                "CREATE TEMP TABLE bench_cases AS SELECT row_number() OVER (ORDER BY id) AS k, uuid, number "
                "FROM cases_case"
            )
            cursor.execute("SELECT count(*) FROM bench_people")
            people = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM bench_cases")
            cases = cursor.fetchone()[0]
            # Two rows in five are on the case side (a case read), the rest network reads; one in fifty refused.
            cursor.execute(
                """
                INSERT INTO audit_accesslog (at, user_id, person_id, body_id, action, object_type, object_id,
                    object_label, case_ref, scope, basis, outcome, reason, ip)
                SELECT %(start)s::timestamptz + %(step)s::interval * g,
                       p.user_id, p.id, p.body_id,
                       (ARRAY['view','list','view','view','pdf','export'])[1 + g %% 6],
                       CASE WHEN g %% 5 < 2 THEN 'cases.case' ELSE 'registry.body' END,
                       CASE WHEN g %% 5 < 2 THEN c.uuid::text ELSE (1 + g %% 2000)::text END,
                       CASE WHEN g %% 5 < 2 THEN c.number ELSE '' END,
                       CASE WHEN g %% 5 < 2 THEN c.uuid::text ELSE '' END,
                       CASE WHEN g %% 5 < 2 THEN 'case' ELSE 'network' END,
                       CASE WHEN g %% 5 < 2 THEN 'assignment' ELSE 'role' END,
                       CASE WHEN g %% 50 = 0 THEN 'denied' ELSE 'allowed' END,
                       '', '10.0.0.1'::inet
                FROM generate_series(1::bigint, %(n)s) AS g
                JOIN bench_people p ON p.k = 1 + (g * 7919) %% %(people)s
                JOIN bench_cases c ON c.k = 1 + (g * 104729) %% %(cases)s
                """,
                {"start": self.start, "step": (self.now - self.start) / n, "n": n, "people": people, "cases": cases},
            )
            inserted = cursor.rowcount
            for statement in rebuild:
                cursor.execute(statement)
            return inserted

    def make_signin_events(self) -> int:
        n = self.sizes["signin_events"]
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            rebuild = self._without_indexes(cursor, "audit_signinevent")
            cursor.execute(
                """
                INSERT INTO audit_signinevent (at, kind, user_id, username, ip)
                SELECT %(start)s::timestamptz + %(step)s::interval * g,
                       (ARRAY['login','logout','login','logout','failure'])[1 + g %% 5],
                       p.user_id, u.username, '10.0.0.2'::inet
                FROM generate_series(1::bigint, %(n)s) AS g
                JOIN bench_people p ON p.k = 1 + (g * 7919) %% (SELECT count(*) FROM bench_people)
                JOIN auth_user u ON u.id = p.user_id
                """,
                {"start": self.start, "step": (self.now - self.start) / n, "n": n},
            )
            inserted = cursor.rowcount
            for statement in rebuild:
                cursor.execute(statement)
            return inserted
