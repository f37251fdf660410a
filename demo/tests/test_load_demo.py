"""The demo network (issue 15): loaded once per module into the empty test database (PostgreSQL), rolled
back at the end. Each demo account's home shows the work waiting for its role; a second load changes
nothing; with DEBUG off the command refuses."""

import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import QuerySet
from django.test import Client, override_settings
from django.utils import timezone

from accounts.access import requires_two_factor
from conftest import _is_tracked, two_factor_verify
from demo.base import MARK


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded as `make demo-db` does, with any update()/bulk_update() on a tracked model refused."""
    private = tmp_path_factory.mktemp("demo-private")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": private}},
    }
    original_update, original_bulk_update = QuerySet.update, QuerySet.bulk_update

    def update(self, **kwargs):
        assert not _is_tracked(self.model), f"QuerySet.update() on {self.model._meta.label} bypasses history"
        return original_update(self, **kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        assert not _is_tracked(self.model), f"bulk_update() on {self.model._meta.label} bypasses history"
        return original_bulk_update(self, objs, fields, batch_size)

    with (
        django_db_blocker.unblock(),
        override_settings(STORAGES=storages, PRIVATE_FILES_ROOT=private),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setattr(QuerySet, "update", update)
        patch.setattr(QuerySet, "bulk_update", bulk_update)
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(DEBUG=True):
                call_command("load_bodies", verbosity=0, stdout=None)
                call_command("demo_accounts", stdout=open("/dev/null", "w"))  # noqa: SIM115
                call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
            patch.undo()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _home(username: str) -> str:
    from registry import services
    from registry.models import PledgeVersion

    user = get_user_model().objects.get(username=username)
    services.pledge_accept(person=user.person, version=PledgeVersion.current(), ip="127.0.0.1", by=user)
    client = Client()
    client.force_login(user)
    if requires_two_factor(user):
        two_factor_verify(client, user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _count(html: str, label: str) -> int:
    match = re.search(re.escape(label) + r"</a>\s*<span[^>]*>(\d+)件", html)
    assert match, f"{label} not on the page"
    return int(match.group(1))


# Per role: (label on the home page, the count the demo leaves waiting).
HOMES = {
    "demo-secretariat": [("審査待ちの登録申請", 2)],
    "demo-hub": [("担当中のケース", 14), ("未対応の情報提供", 3)],
    "demo-supervisor": [("進行中のケース（全体）", 18), ("終結の承認待ち", 1), ("未対応の情報提供", 3)],
    "demo-department": [("結果を返していない拠点からの依頼", 2)],
    "demo-agency": [("結果を返していない拠点からの依頼", 1)],
}


@pytest.mark.parametrize("username", list(HOMES))
def test_each_role_home_shows_its_waiting_work(demo, db, username):
    html = _home(username)
    for label, expected in HOMES[username]:
        assert _count(html, label) == expected, label


def test_secretariat_and_business_homes_show_outreach_and_meetings(demo, db):
    secretariat = _home("demo-secretariat")
    assert "未対応の補充依頼</a>：1件" in secretariat
    assert "Consultation card for women (English)（120）" in secretariat  # a material under its threshold
    business = _home("demo-business")
    assert "出欠の回答が必要な会議" in business and "実務者会議" in business
    assert "相談窓口カードを女性トイレに設置する" in business  # its open follow-up action of the Art. 7 minutes
    assert re.search(r"設置中の啓発物：2件（補充依頼中 1件）", business)


def test_the_demo_has_every_part_the_issue_asks_for(demo, db):
    from cases.models import Accompaniment, Case, Information, ProtectionStay, Referral
    from meetings.models import Meeting, ReviewSheet
    from outreach.models import Post, Registration
    from registry.models import Application, Body, Person

    businesses = Body.objects.filter(kind=Body.Kind.BUSINESS, status=Body.Status.ACTIVE)
    assert businesses.count() == 12 and all(b.name.endswith(MARK) for b in businesses)
    assert not Person.objects.exclude(name__endswith=MARK).exists()  # demo accounts included
    assert Application.objects.filter(status=Application.Status.PENDING).count() == 2
    cases = Case.objects.all()
    assert cases.count() == 20
    assert set(cases.values_list("stage", flat=True)) == set(Case.Stage.values)
    assert all(c.name.endswith(MARK) for c in cases if c.name)
    assert all(c.phone.startswith("090-0000-") for c in cases if c.phone)
    protected = cases.filter(address_protection=True).get()
    assert 0 < (protected.address_protection_until - timezone.localdate()).days <= 30  # expiring soon
    assert Referral.objects.filter(status=Referral.Status.RETURNED).count() == 8
    assert Referral.objects.values("to_body").distinct().count() >= 6
    assert Accompaniment.objects.exists() and ProtectionStay.objects.filter(ended_on__isnull=True).exists()
    assert Information.objects.filter(triage=Information.Triage.PENDING).count() == 3
    art7 = Meeting.objects.get(kind=Meeting.Kind.REPRESENTATIVES)
    assert art7.minutes.published_at is not None and art7.minutes.pdf_sha256
    assert ReviewSheet.objects.filter(meeting__kind=Meeting.Kind.CASE_REVIEW).count() == 2
    assert Registration.objects.exclude(certificate_serial="").count() >= 10
    assert Post.objects.count() == 5
    # Nothing happens on a closed day, and the half year is spread out, not stamped today.
    from ageo_network.holidays import is_working_day

    assert all(is_working_day(m.date) for m in Meeting.objects.all())
    assert len({c.opened_at.date() for c in cases}) >= 15


def test_a_second_load_changes_nothing(demo, db):
    models = [m for m in apps.get_models() if m._meta.managed]
    before = {m._meta.label: m._default_manager.count() for m in models}
    out = __import__("io").StringIO()
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=out)
    assert "読み込み済み" in out.getvalue()
    assert {m._meta.label: m._default_manager.count() for m in models} == before


def test_refused_with_debug_off(demo, db):
    from registry.models import Body

    before = Body.objects.count()
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG=true のデモ環境でのみ"):
        call_command("load_demo")
    assert Body.objects.count() == before


# Links a crawl does not follow: files (their own tests), sign-out, the calendar feed.
NOT_FOLLOWED = re.compile(r"logout|\.pdf|/download|xlsx|csv|/export|/calendar|^/static/|^/media/")


@pytest.mark.parametrize("username", ["demo-secretariat", "demo-hub", "demo-supervisor", "demo-department"])
def test_every_page_a_demo_account_reaches_answers(demo, db, username):
    """Follow the links of each role's pages over the demo (the first 120 pages): no 500, nothing but 200/302/403
    — the demo's data must not break a page the checked-in user can open."""
    _home(username)
    user = get_user_model().objects.get(username=username)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    if requires_two_factor(user):
        two_factor_verify(client, user)
    seen, queue, answers = set(), ["/"], {}
    while queue and len(seen) < 120:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        answers[url] = response.status_code
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            for href in re.findall(r'href="(/[^"#]*)"', response.content.decode()):
                href = href.replace("&amp;", "&")
                if href not in seen and not NOT_FOLLOWED.search(href):
                    queue.append(href)
    assert len(seen) >= 30
    assert {url: code for url, code in answers.items() if code not in (200, 302, 403)} == {}
