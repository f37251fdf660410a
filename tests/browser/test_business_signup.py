"""In real Chromium: a person applies, the secretariat approves, the new member signs in through the emailed link.

Runs on Debian's chromium (never `playwright install`); `make test` installs it when missing.
"""

import re

import pytest
from django.core import mail

from registry.models import Application, Body, Person
from tests.browser.pages import field, signed_in_page


@pytest.mark.browser
# Not serialized_rollback: inside Playwright's event loop Django's connection is a context-local copy
# without the serialized data. The flush's post_migrate re-seeds groups and the pledge version instead.
@pytest.mark.django_db(transaction=True)
def test_a_business_applies_is_approved_and_signs_in(chromium, live_server, client, login_as, settings):
    settings.SIGNUP_MIN_FILL_SECONDS = 1
    from django.core.management import call_command

    call_command("loaddata", "bodies", verbosity=0)

    # --- the applicant, on the public form printed on the leaflet ---
    applicant = chromium.new_context(locale="ja-JP")
    page = applicant.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/registry/signup/")
    assert page.title().startswith("登録事業所の申請")
    assert "第１０条" in page.locator("#article-10").inner_text()
    field(page, "事業所・団体名").fill("あげお中央薬局")
    field(page, "事業所・団体名のフリガナ").fill("Ageo Chuo Yakkyoku")  # the mistake: not katakana
    field(page, "事業所の種類").select_option(label="薬局")
    field(page, "代表者名").fill("上尾 一郎")
    field(page, "担当者名").fill("上尾 花子")
    field(page, "担当者名のフリガナ").fill("あげお はなこ")  # hiragana: converted, not an error
    field(page, "郵便番号").fill("３６２－８５０１")
    field(page, "所在地").fill("埼玉県上尾市本町3-1-1")
    field(page, "電話番号").fill("０４８－７７５－１２３４")
    field(page, "メールアドレス").fill("hanako@example.jp")
    page.get_by_label("ポスターの掲示").check()
    page.get_by_label("リーフレット・カードの設置・配布").check()
    page.get_by_label("公開名簿への掲載に同意").check()
    page.get_by_label(re.compile("第10条の守秘義務を守ることに同意します")).check()
    page.get_by_role("button", name="申請する").click()

    page.wait_for_load_state()
    error = page.locator("#error_1_id_name_kana, .invalid-feedback").filter(
        has_text="フリガナはカタカナで入力してください。"
    )
    assert error.count() >= 1
    # Everything typed survived the round trip; only the mistake needs fixing.
    assert field(page, "事業所・団体名").input_value() == "あげお中央薬局"
    assert field(page, "電話番号").input_value() == "０４８－７７５－１２３４"
    assert page.get_by_label("リーフレット・カードの設置・配布").is_checked()
    field(page, "事業所・団体名のフリガナ").fill("アゲオチュウオウヤッキョク")
    page.get_by_role("button", name="申請する").click()

    page.wait_for_url("**/registry/signup/done/")
    reference = page.locator("#reference").inner_text()
    application = Application.objects.get()
    assert reference == application.reference
    assert application.contact_kana == "アゲオ ハナコ"
    assert application.phone == "048-775-1234" and application.postal_code == "362-8501"
    applicant.close()

    # --- the secretariat, signed in through the test client's session ---
    _secretariat, page = signed_in_page(
        chromium, live_server, client, login_as, Person.Role.SECRETARIAT, Body.objects.get(code="dept-jinken-danjo")
    )
    page.goto(f"{live_server.url}/registry/applications/")
    page.get_by_role("link", name=reference).click()
    page.get_by_label("申請の内容と重複の可能性を確認しました").check()
    page.get_by_role("button", name="承認する").click()
    page.wait_for_load_state()
    assert f"申請 {reference} を承認し" in page.content()
    page.context.close()

    # --- the new business member, from the emailed one-time link ---
    approval = next(m for m in mail.outbox if "登録のお知らせ" in m.subject)
    assert approval.to == ["hanako@example.jp"]
    path = re.search(r"https?://[^/\s]+(/registry/activate/\S+)", approval.body).group(1)
    member = chromium.new_context(locale="ja-JP")
    page = member.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}{path}")
    page.get_by_label(re.compile(r"^\s*新しいパスワード\*?\s*$")).fill("kasumi-sou-2024!")
    page.get_by_label(re.compile(r"^\s*新しいパスワード\(確認用\)\*?\s*$")).fill("kasumi-sou-2024!")
    page.get_by_role("button", name="パスワードを設定してログインする").click()

    # Signed in: every member page first asks for the Art. 10 pledge.
    page.wait_for_url(re.compile(r".*/registry/pledge/.*"))
    page.get_by_label("上記の守秘義務を理解し、遵守することを誓約します。").check()
    page.get_by_role("button", name="誓約する").click()
    page.locator("#mainnav").get_by_role("link", name="自事業所").click()
    page.wait_for_url("**/registry/business/")
    assert page.locator("h1").inner_text() == "あげお中央薬局"
    assert "担当者として：第1版" in page.content()
    member.close()

    person = Person.objects.get(body__name="あげお中央薬局")
    assert person.role == Person.Role.BUSINESS_MEMBER and person.pledges.count() == 1
