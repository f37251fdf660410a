"""In real Chromium: a pharmacy sends information; a hub worker turns it into a case, records a consultation
and an assessment, adds a plan item with a referral to 生活支援課; the 生活支援課 member sees only the packet
and returns an outcome; the pharmacy sees only "being handled".

Runs on Debian's chromium (never `playwright install`). Sessions come from the test client (`login_as`),
whose sessionid cookie is copied into each browser context.
"""

import re

import pytest
from django.utils import timezone

from cases.models import Case, Information, Referral
from registry.models import Body, Person
from tests.browser.pages import field, signed_in_page
from tests.factories.registry import make_body

Role = Person.Role
WOMAN = "薬局 見守子"
ADDRESS = "上尾市ブラウザ町一丁目"


@pytest.mark.browser
# Not serialized_rollback: inside Playwright's event loop Django's connection is a context-local copy
# without the serialized data; the flush's post_migrate re-seeds groups and the pledge version instead.
@pytest.mark.django_db(transaction=True)
def test_information_to_case_to_referral_and_back(chromium, live_server, client, login_as):
    from django.core.management import call_command

    call_command("loaddata", "bodies", verbosity=0)
    url = live_server.url
    seikatsu = Body.objects.get(code="dept-seikatsu-shien")
    pharmacy = make_body(name="上尾中央薬局", name_kana="アゲオチュウオウヤッキョク")
    _, pharmacist = signed_in_page(chromium, live_server, client, login_as, Role.BUSINESS_MEMBER, pharmacy)
    worker, hub_page = signed_in_page(
        chromium, live_server, client, login_as, Role.HUB_WORKER, Body.objects.get(code="hub")
    )
    _, dept_page = signed_in_page(chromium, live_server, client, login_as, Role.DEPARTMENT_STAFF, seikatsu)

    # --- the pharmacy sends what it noticed ---
    page = pharmacist
    page.goto(f"{url}/cases/information/new/")
    page.get_by_label("早めの対応が必要").check()
    field(page, "気づいたこと").fill("処方薬の受け取り時に腕にあざが見え、夫が怖いと話していた。")
    field(page, "本人の氏名（わかれば）").fill(WOMAN)
    page.get_by_label("本人は知っていて、市への連絡に同意している").check()
    field(page, "安全に連絡できる方法と時間帯").fill("平日の午前中に店頭で。")
    page.get_by_role("button", name="拠点に送る").click()
    page.wait_for_url(re.compile(r".*/cases/information/sent/[0-9a-f-]+/$"))
    receipt_url = page.url
    assert page.locator("#sender-status").inner_text() == "受け付けました"
    item = Information.objects.get()
    assert item.receipt_number in page.title()

    # --- the hub worker turns it into a case ---
    page = hub_page
    page.goto(f"{url}/cases/intake/")
    page.get_by_role("link", name=item.receipt_number).first.click()
    assert "腕にあざ" in page.content()
    page.get_by_role("button", name="ケースを開く").click()
    page.wait_for_url(re.compile(r".*/cases/[0-9a-f-]{36}/$"))
    case = Case.objects.get()
    assert page.title().startswith(f"ケース {case.number}")
    assert WOMAN not in page.title()
    assert page.locator("#basis").inner_text() == "閲覧の根拠：担当"

    page.get_by_role("link", name="基本情報を編集").click()
    field(page, "住所").fill(ADDRESS)
    field(page, "フリガナ").fill("やっきょく みまもりこ")
    page.get_by_label("配偶者等からの暴力（DV）").check()
    page.get_by_role("button", name="保存する").click()
    page.wait_for_url(re.compile(r".*/cases/[0-9a-f-]{36}/$"))

    page.get_by_role("link", name="相談記録").click()
    field(page, "方法").select_option(label="来所")
    field(page, "相談内容").fill("夫からの暴力について来所相談。子ども一人と家を出たいと希望。")
    page.get_by_role("button", name="記録する").click()
    page.wait_for_url(re.compile(r".*/cases/[0-9a-f-]{36}/$"))

    page.get_by_role("link", name="アセスメント").click()
    page.get_by_label("安全の確保").check()
    page.get_by_label("収入・生活費").check()
    field(page, "本人の意向").fill("子どもと安全に暮らせる住まいと収入がほしい。")
    field(page, "リスクの程度").select_option(label="高")
    page.get_by_role("button", name="記録する").click()
    page.wait_for_url(re.compile(r".*/cases/[0-9a-f-]{36}/$"))

    page.get_by_role("link", name="同意の記録").click()
    field(page, "共有先の機関").select_option(label=seikatsu.name)
    page.get_by_label("氏名").check()
    page.get_by_label("問題の種類").check()
    field(page, "目的").fill("生活保護の申請支援")
    field(page, "有効期限").fill(f"{timezone.localdate().year + 1}-03-31")
    page.get_by_role("button", name="記録する").click()
    page.wait_for_url(re.compile(r".*/cases/[0-9a-f-]{36}/$"))

    page.get_by_role("link", name="支援計画の項目").click()
    field(page, "サービス").select_option(label="生活保護")
    field(page, "担当する機関").select_option(label=seikatsu.name)
    page.get_by_role("button", name="記録する").click()
    page.wait_for_url(re.compile(r".*/cases/[0-9a-f-]{36}/$"))

    page.get_by_role("link", name="依頼", exact=True).click()
    assert field(page, "依頼先").input_value() == str(seikatsu.pk)
    page.get_by_label("氏名", exact=True).check()
    page.get_by_label("問題の種類").check()
    field(page, "依頼内容").fill("生活保護の申請手続きの支援をお願いします。")
    page.get_by_label("本人の同意", exact=True).check()
    page.get_by_role("button", name="依頼を送る").click()
    page.wait_for_url(re.compile(r".*/cases/[0-9a-f-]{36}/$"))
    assert f"{seikatsu.name} に依頼を送りました" in page.content()
    referral = Referral.objects.get()
    assert set(referral.packet) == {"name", "categories"}

    # --- the 生活支援課 member sees the packet only and returns an outcome ---
    page = dept_page
    page.goto(f"{url}/cases/referrals/")
    page.get_by_role("link", name=case.number).click()
    page.wait_for_url(re.compile(r".*/cases/referrals/[0-9a-f-]{36}/$"))
    content = page.content()
    assert WOMAN in content  # ticked
    assert ADDRESS not in content and "来所相談" not in content and "住まいと収入" not in content  # not ticked
    page.get_by_role("button", name="受領する").click()
    page.wait_for_load_state()
    assert page.locator("#referral-status").inner_text() == "受領済み"
    field(page, "行った対応").fill("窓口で面談し、申請書の記入を支援した。")
    field(page, "結果").fill("生活保護の申請を受理した。")
    page.get_by_role("button", name="拠点に報告する").click()
    page.wait_for_load_state()
    assert page.locator("#referral-status").inner_text() == "結果報告済み"
    response = page.goto(f"{url}{case.get_absolute_url()}")
    assert response.status == 404

    # --- the hub sees the outcome in the case ---
    hub_page.goto(f"{url}{case.get_absolute_url()}")
    assert "生活保護の申請を受理した。" in hub_page.content()

    # --- the pharmacy sees "being handled" only ---
    pharmacist.goto(receipt_url)
    assert pharmacist.locator("#sender-status").inner_text() == "対応中です"
    page_text = pharmacist.content()
    for secret in [case.number, str(case.uuid), "生活保護", ADDRESS]:
        assert secret not in page_text
    response = pharmacist.goto(f"{url}{case.get_absolute_url()}")
    assert response.status == 404
    assert worker.user.is_active
