"""Sentinel tests: a planted string in the woman's name, address and narratives must never appear in clear
in the database (any table, history included), a log line, an email, a URL or title, a page or PDF of a
role without the basis, or a referral packet the hub did not tick it for."""

import datetime
import io
import logging
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import UserSession as Session
from cases.models import Case, Information, Referral
from conftest import _login_as
from registry.models import Body, Person

Role = Person.Role
SENTINEL = "QZXSENTINEL"
KANA_SENTINEL = "ゼンチネルハナコ"
TITLE_RE = re.compile(r"<title>(.*?)</title>", re.S)


class Recorder:
    """Wraps test clients; remembers every URL, redirect, cookie and title for the final checks."""

    def __init__(self):
        self.urls, self.titles, self.cookies = [], [], []

    def client(self, role, body=None):
        client = Client()
        person = _login_as(client, role, body)
        return client, person

    def call(self, client, method, url, data=None):
        response = getattr(client, method)(url, data or {})
        self.urls.append(url)
        if response.get("Location"):
            self.urls.append(response["Location"])
        self.cookies += [morsel.value for morsel in response.cookies.values()]
        if response.get("Content-Type", "").startswith("text/html"):
            self.titles += TITLE_RE.findall(response.content.decode())
        return response


def _text(response) -> str:
    if response.get("Content-Type") == "application/pdf":
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).replace(" ", "")
    return response.content.decode()


def _columns_holding(needle: str) -> list[str]:
    hits = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')"
        )
        columns = cursor.fetchall()
        assert len(columns) > 100  # the scan really covers the schema, history tables included
        assert any(table == "cases_historicalcase" for table, _ in columns)
        for table, column in columns:
            quote = connection.ops.quote_name
            cursor.execute(
                f"SELECT count(*) FROM {quote(table)} WHERE {quote(column)}::text LIKE %s",  # noqa: S608 (schema names)
                [f"%{needle}%"],
            )
            if cursor.fetchone()[0]:
                hits.append(f"{table}.{column}")
    return hits


@pytest.mark.django_db
def test_the_sentinel_never_leaks(bodies, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    rec = Recorder()
    hub = Body.objects.get(code="hub")
    seikatsu = Body.objects.get(code="dept-seikatsu-shien")
    police = Body.objects.get(code="agency-ageo-police")
    today = timezone.localdate()
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    with django_capture_on_commit_callbacks(execute=True):
        # Hub staff and receiving staff exist with addresses, so every email path really sends.
        lead_client, lead = rec.client(Role.HUB_WORKER, hub)
        supervisor_client, supervisor = rec.client(Role.HUB_SUPERVISOR, hub)
        seikatsu_client, seikatsu_staff = rec.client(Role.DEPARTMENT_STAFF, seikatsu)
        police_client, police_staff = rec.client(Role.AGENCY_STAFF, police)
        for person in (lead, supervisor, seikatsu_staff, police_staff):
            person.user.email = f"{person.user.username}@example.org"
            person.user.save()

        # 1. A pharmacy sends information.
        sender_client, sender = rec.client(Role.BUSINESS_MEMBER)
        rec.call(
            sender_client,
            "post",
            reverse("cases:info_create"),
            {
                "urgency": "urgent",
                "observation": f"顔にあざ {SENTINEL} 観察",
                "situation": f"状況 {SENTINEL}",
                "woman_name": f"{SENTINEL}花子",
                "awareness": "agrees",
                "safe_contact": f"連絡 {SENTINEL}",
            },
        )
        item = Information.objects.get()

        # 2. The hub opens a case and fills the file with planted values.
        rec.call(lead_client, "get", reverse("cases:intake_detail", args=[item.uuid]))
        rec.call(lead_client, "post", reverse("cases:intake_open_case", args=[item.uuid]))
        case = Case.objects.get()
        rec.call(
            lead_client,
            "post",
            reverse("cases:case_update", args=[case.uuid]),
            {
                "name": f"{SENTINEL}花子",
                "name_reading": KANA_SENTINEL,
                "children_count": 1,
                "household": f"子ども一人 {SENTINEL}",
                "address": f"上尾市{SENTINEL}町1-2-3",
                "phone": "090-9999-8888",
                "safe_contact_never": f"自宅に電話しない {SENTINEL}",
                "address_protection": "on",
                "address_protection_until": (today + datetime.timedelta(days=20)).isoformat(),
                "perpetrator_name": f"加害 {SENTINEL}",
                "perpetrator_info": f"元夫 {SENTINEL}",
                "categories": ["dv"],
                "risk_level": "urgent",
                "risk_reason": f"理由 {SENTINEL}",
                "notes": f"メモ {SENTINEL}",
                "version": case.version,
            },
        )
        case.refresh_from_db()
        assert case.name == f"{SENTINEL}花子"
        for name, data in [
            (
                "cases:consultation_create",
                {"at": now, "method": "visit", "content": f"相談 {SENTINEL}", "next_step": SENTINEL},
            ),
            (
                "cases:assessment_create",
                {"assessed_at": now, "needs": ["safety"], "wishes": f"意向 {SENTINEL}", "risk_level": "urgent"},
            ),
            (
                "cases:plan_item_create",
                {
                    "service": "livelihood_protection",
                    "detail": f"詳細 {SENTINEL}",
                    "responsible_body": seikatsu.pk,
                    "status": "to_request",
                },
            ),
            (
                "cases:consent_create",
                {
                    "body": seikatsu.pk,
                    "items": ["categories", "risk"],
                    "purpose": f"目的 {SENTINEL}",
                    "given_on": today.isoformat(),
                    "valid_until": (today + datetime.timedelta(days=90)).isoformat(),
                },
            ),
            (
                "cases:accompaniment_create",
                {"on": today.isoformat(), "destination": f"行き先 {SENTINEL}", "outcome": SENTINEL},
            ),
            (
                "cases:protection_create",
                {"kind": "private_shelter", "started_on": today.isoformat(), "notes": f"保護 {SENTINEL}"},
            ),
            ("cases:follow_up_create", {"due_on": today.isoformat(), "purpose": f"予定 {SENTINEL}"}),
        ]:
            assert rec.call(lead_client, "post", reverse(name, args=[case.uuid]), data).status_code == 302, name
        plan_item = case.plan_items.get()
        # Referral A (consent): categories and risk only. Referral B (legal basis): the name is ticked.
        rec.call(
            lead_client,
            "post",
            reverse("cases:referral_create", args=[case.uuid, plan_item.pk]),
            {
                "to_body": seikatsu.pk,
                "fields": ["categories", "risk"],
                "request": "生活保護の申請支援をお願いします",
                "legal_basis": "consent",
            },
        )
        rec.call(
            lead_client,
            "post",
            reverse("cases:referral_create", args=[case.uuid, plan_item.pk]),
            {
                "to_body": police.pk,
                "fields": ["name"],
                "request": "警察での安全確保をお願いします",
                "legal_basis": "life_or_body",
                "legal_basis_note": "加害者が所在を探しており生命の危険があるため",
            },
        )
        to_seikatsu = Referral.objects.get(to_body=seikatsu)
        to_police = Referral.objects.get(to_body=police)
        assert to_seikatsu.packet.keys() == {"categories", "risk"}

        # 3. The hub reads everything (the planted values do show there: the control).
        hub_page = rec.call(lead_client, "get", case.get_absolute_url())
        assert SENTINEL in _text(hub_page)
        hub_pdf = rec.call(lead_client, "get", reverse("cases:case_pdf", args=[case.uuid]))
        assert SENTINEL in _text(hub_pdf)
        rec.call(supervisor_client, "get", reverse("cases:supervisor_home"))
        rec.call(lead_client, "get", reverse("cases:worker_home"))
        rec.call(lead_client, "post", reverse("cases:case_search"), {"reading": KANA_SENTINEL})
        rec.call(
            lead_client,
            "post",
            reverse("cases:case_closure_request", args=[case.uuid]),
            {"reason": f"終結の理由 {SENTINEL}"},
        )

        # 4. The receiving bodies: the department sees only its packet; the police packet holds the ticked name.
        for response in [
            rec.call(seikatsu_client, "get", to_seikatsu.get_absolute_url()),
            rec.call(seikatsu_client, "get", reverse("cases:referral_inbox")),
            rec.call(seikatsu_client, "get", reverse("cases:referral_return", args=[to_seikatsu.uuid])),
        ]:
            assert response.status_code == 200
            assert SENTINEL not in _text(response)
        rec.call(seikatsu_client, "post", reverse("cases:referral_acknowledge", args=[to_seikatsu.uuid]))
        rec.call(
            seikatsu_client,
            "post",
            reverse("cases:referral_return", args=[to_seikatsu.uuid]),
            {"action_taken": "面談", "outcome": "申請を受理"},
        )
        police_packet = rec.call(police_client, "get", to_police.get_absolute_url())
        assert SENTINEL in _text(police_packet)  # ticked: the control that the packet check can fail

        # 5. Every role without the basis, on every path that names the case.
        outsiders = [rec.client(Role.HUB_WORKER, hub)[0], seikatsu_client, police_client, sender_client]
        outsiders += [rec.client(Role.SECRETARIAT, Body.objects.get(code="dept-jinken-danjo"))[0]]
        outsiders += [rec.client(Role.SYSADMIN, Body.objects.get(code="dept-jinken-danjo"))[0]]
        outsiders += [rec.client(Role.AGENCY_STAFF, Body.objects.get(code="agency-ishikai"))[0]]
        case_urls = [
            case.get_absolute_url(),
            reverse("cases:case_pdf", args=[case.uuid]),
            reverse("cases:case_update", args=[case.uuid]),
            reverse("cases:consultation_create", args=[case.uuid]),
            reverse("cases:intake_detail", args=[item.uuid]),
        ]
        for client in outsiders:
            for url in case_urls:
                response = rec.call(client, "get", url)
                assert response.status_code in (403, 404), url
                assert SENTINEL not in _text(response)
            for url in [reverse("cases:info_receipt", args=[item.uuid]), reverse("cases:info_sent_list")]:
                assert SENTINEL not in _text(rec.call(client, "get", url))
        for client in outsiders[3:]:
            assert SENTINEL not in _text(rec.call(client, "get", to_police.get_absolute_url()))
        assert SENTINEL not in _text(rec.call(seikatsu_client, "get", to_police.get_absolute_url()))

        # Reminders go out too (address protection expires within 30 days, a follow-up is due).
        from django.core.management import call_command

        call_command("send_case_reminders", stdout=io.StringIO())

    # Emails were sent on every path, and none holds the sentinel.
    assert len(mail.outbox) >= 6
    for message in mail.outbox:
        for part in [message.subject, message.body, *message.to]:
            assert SENTINEL not in part and KANA_SENTINEL not in part
    for value in rec.urls + rec.titles + rec.cookies:
        assert SENTINEL not in value and KANA_SENTINEL not in value
    assert SENTINEL not in caplog.text and KANA_SENTINEL not in caplog.text
    for session in Session.objects.all():
        assert SENTINEL not in str(session.get_decoded())
    # No column of any table (history tables included) holds the planted strings in clear.
    assert _columns_holding(SENTINEL) == []
    assert _columns_holding(KANA_SENTINEL) == []
    assert _columns_holding("ゼンチネル") == []
    # Control: the scan does find a clear-text value (a body's name is not encrypted).
    from tests.factories.registry import make_body

    make_body(name=f"対照 {SENTINEL}")
    assert set(_columns_holding(SENTINEL)) == {"registry_body.name", "registry_historicalbody.name"}
