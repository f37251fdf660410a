"""In real Chromium (issue 9's "Done when"): the secretariat adds a clerk to 生活支援課; the clerk sets a
password and a second factor and signs in; the secretariat ends the clerk's membership; the clerk's open tab
is signed out at its next request and the clerk cannot sign in again; the clerk's records and history stay."""

import re
from base64 import b32decode

import pytest
from django.core import mail
from django.utils import timezone
from django_otp.oath import TOTP

from audit.models import SignInEvent
from registry.models import Body, Person, PersonPledge
from tests.browser.pages import field, signed_in_page

PASSWORD = "shiki-no-kaze-2026!"


@pytest.mark.browser
# Not serialized_rollback: see test_business_signup.py.
@pytest.mark.django_db(transaction=True)
def test_a_clerk_is_added_signs_in_with_two_factors_and_is_ended(chromium, live_server, client, login_as):
    from django.core.management import call_command

    call_command("loaddata", "bodies", verbosity=0)
    seikatsu = Body.objects.get(code="dept-seikatsu-shien")

    # --- the secretariat adds the clerk ---
    _secretariat, office = signed_in_page(
        chromium, live_server, client, login_as, Person.Role.SECRETARIAT, Body.objects.get(code="dept-jinken-danjo")
    )
    office.goto(f"{live_server.url}{seikatsu.get_absolute_url()}")
    office.get_by_role("link", name="担当者を追加").click()
    field(office, "氏名").fill("生活 新子")
    field(office, "フリガナ").fill("せいかつ しんこ")
    field(office, "メールアドレス").fill("shinko@city.example.jp")
    field(office, "役割").select_option(label="庁内担当者")
    office.get_by_role("button", name="保存する").click()
    office.wait_for_load_state()
    assert "生活 新子さんを追加し" in office.content()
    assert "パスワード未設定" in office.content()

    # --- the clerk: the emailed link, a password, the authenticator app, the pledge ---
    message = next(m for m in mail.outbox if m.to == ["shinko@city.example.jp"])
    path = re.search(r"https?://[^/\s]+(/registry/activate/\S+)", message.body).group(1)
    clerk = chromium.new_context(locale="ja-JP").new_page()
    clerk.set_default_timeout(15_000)
    clerk.goto(f"{live_server.url}{path}")
    clerk.get_by_label(re.compile(r"^\s*新しいパスワード\*?\s*$")).fill(PASSWORD)
    clerk.get_by_label(re.compile(r"^\s*新しいパスワード\(確認用\)\*?\s*$")).fill(PASSWORD)
    clerk.get_by_role("button", name="パスワードを設定してログインする").click()
    clerk.wait_for_url(re.compile(r".*/accounts/two-factor/setup/.*"))
    secret = clerk.locator("code").inner_text().replace(" ", "")
    token = f"{TOTP(b32decode(secret)).token():06d}"
    field(clerk, "確認コード").fill(token)
    clerk.get_by_role("button", name="設定を完了する").click()
    clerk.get_by_role("link", name="保管しました。続ける").click()
    clerk.wait_for_url(re.compile(r".*/registry/pledge/.*"))
    clerk.get_by_label("上記の守秘義務を理解し、遵守することを誓約します。").check()
    clerk.get_by_role("button", name="誓約する").click()
    clerk.wait_for_load_state()
    assert "生活 新子 さん（庁内担当者）" in clerk.content()
    person = Person.objects.get(name="生活 新子")
    assert person.body == seikatsu and person.user.totpdevice_set.filter(confirmed=True).exists()

    # --- the secretariat ends the membership today ---
    office.goto(f"{live_server.url}{seikatsu.get_absolute_url()}")
    office.get_by_role("row", name=re.compile("生活 新子")).get_by_role("link", name="担当を終了").click()
    field(office, "終了日").fill(timezone.localdate().isoformat())
    office.get_by_role("button", name="保存する").click()
    office.wait_for_load_state()
    assert "生活 新子さんの担当を終了しました" in office.content()
    assert "以前の担当者" in office.content()

    # --- the clerk's open tab is signed out at its next request, and the password opens nothing ---
    clerk.goto(f"{live_server.url}/registry/bodies/")
    clerk.wait_for_url(re.compile(r".*/accounts/login/.*"))
    field(clerk, "ユーザー名").fill(person.user.username)
    field(clerk, "パスワード").fill(PASSWORD)
    clerk.get_by_role("button", name="ログイン").click()
    clerk.wait_for_load_state()
    assert "/accounts/login/" in clerk.url
    assert clerk.locator(".alert-danger, .alert-block").count() >= 1
    clerk.context.close()
    office.context.close()

    # --- the clerk's records and history stay ---
    person.refresh_from_db()
    assert person.left_on == timezone.localdate() and not person.user.is_active
    assert person.history.count() >= 2
    assert PersonPledge.objects.filter(person=person).exists()
    kinds = set(SignInEvent.objects.filter(user=person.user).values_list("kind", flat=True))
    assert {SignInEvent.Kind.LOGIN, SignInEvent.Kind.SESSIONS_ENDED} <= kinds
