"""In real Chromium, the issue's "Done when": a card from the printer to a pharmacy's restroom and back for
more, a gatekeeper training with a certificate read back, a bulletin post warned about a phone number.

Runs on Debian's chromium (never `playwright install`).
"""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from outreach.models import Material, Post, Registration
from registry.models import Body, Person
from tests.browser.pages import field, signed_in_page
from tests.factories.outreach import TINY_PDF, TINY_PNG
from tests.factories.registry import make_body, make_person
from tests.pdfs import page_texts

Role = Person.Role


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_card_to_pharmacy_restock_training_and_certificate(chromium, live_server, client, login_as):
    call_command("loaddata", "bodies", verbosity=0)
    url = live_server.url
    pharmacy = make_body(name="あげお中央薬局", address="埼玉県上尾市本町3-1-1")
    _, office = signed_in_page(
        chromium, live_server, client, login_as, Role.SECRETARIAT, Body.objects.get(code="dept-jinken-danjo")
    )
    _, shop = signed_in_page(chromium, live_server, client, login_as, Role.BUSINESS_MEMBER, pharmacy)

    # --- the secretariat adds a card to the catalogue and receives 500 from the printer ---
    office.goto(f"{url}/outreach/materials/new/")
    field(office, "種類").select_option(label="カード")
    field(office, "名称").fill("女性のための相談窓口カード")
    field(office, "言語").select_option(label="やさしい日本語")
    field(office, "人目につく場所に置いてよい").uncheck()
    field(office, "印刷用ファイル（PDF）").set_input_files(
        files=[{"name": "card.pdf", "mimeType": "application/pdf", "buffer": TINY_PDF}]
    )
    field(office, "見本画像（PNG・JPEG）").set_input_files(
        files=[{"name": "card.png", "mimeType": "image/png", "buffer": TINY_PNG}]
    )
    office.get_by_role("button", name="保存する").click()
    office.wait_for_url(re.compile(r"/outreach/materials/\d+/$"))
    material = Material.objects.get()
    movement = office.locator("#movement-form")
    field(movement, "種類").select_option(label="印刷所から受領")
    field(movement, "数量").fill("500")
    movement.get_by_role("button", name="記録する").click()
    office.wait_for_load_state()
    assert office.locator("#stock").inner_text() == "500"

    # --- ships 50 to the pharmacy, for the women's restroom ---
    ship = office.locator("#ship-form")
    field(ship, "発送先").select_option(label="あげお中央薬局")
    field(ship, "数量").fill("50")
    field(ship, "設置場所").select_option(label="女性トイレ")
    ship.get_by_role("button", name="発送を記録する").click()
    office.wait_for_load_state()
    assert "あげお中央薬局 へ 50 を発送しました" in office.content()
    assert office.locator("#stock").inner_text() == "450"

    # --- the pharmacy sees the placement on its page and asks for a restock ---
    shop.goto(f"{url}/outreach/mine/")
    row = shop.locator("#placements tbody tr").filter(has_text="女性のための相談窓口カード")
    assert "女性トイレ" in row.inner_text() and "50" in row.inner_text()
    row.get_by_role("button", name="残りわずか").click()
    shop.wait_for_load_state()
    assert "補充を依頼しました（残りわずか）" in shop.content()

    # --- the secretariat ships 50 more against the request; the stock reads 400 ---
    office.goto(f"{url}/outreach/restock/")
    office.locator("#open-requests").get_by_role("link", name="発送する").click()
    field(office, "数量").fill("50")
    office.get_by_role("button", name="発送を記録する").click()
    office.wait_for_url("**/outreach/restock/")
    assert "未対応の依頼はありません" in office.content()
    office.goto(f"{url}/outreach/materials/{material.pk}/")
    assert office.locator("#stock").inner_text() == "400"
    shop.goto(f"{url}/outreach/mine/")
    assert "100" in shop.locator("#placements tbody tr").first.inner_text()

    # --- a gatekeeper training; the pharmacy registers two of its people ---
    office.goto(f"{url}/outreach/events/new/")
    field(office, "種類").select_option(label="ゲートキーパー研修")
    field(office, "名称").fill("ゲートキーパー研修（基礎）")
    field(office, "日付").fill("2030-11-14")
    field(office, "開始時刻").fill("14:00")
    field(office, "終了時刻").fill("16:00")
    field(office, "会場").fill("上尾市男女共同参画推進センター")
    field(office, "定員").fill("20")
    field(office, "主催").select_option(label="市民生活部人権男女共同参画課")
    office.get_by_role("button", name="保存する").click()
    office.wait_for_url(re.compile(r"/outreach/events/[0-9a-f-]{36}/$"))
    event_url = office.url
    assert "令和12年11月14日（木）" in office.content()

    # One from the list of the pharmacy's people in the system, one by name (she has no account).
    hanako = make_person(body=pharmacy, name="上尾 花子")
    shop.goto(event_url)
    field(shop, "自機関の人").select_option(label=f"上尾 花子（{hanako.name_kana}）")
    shop.get_by_role("button", name="申し込む").click()
    shop.wait_for_load_state()
    assert "上尾 花子 さんを申し込みました" in shop.content()
    field(shop, "一覧にいない人の氏名").fill("上尾 次子")
    field(shop, "フリガナ").fill("アゲオ ツギコ")
    shop.get_by_role("button", name="申し込む").click()
    shop.wait_for_load_state()
    assert "上尾 次子 さんを申し込みました" in shop.content()
    registered = Registration.objects.filter(body=pharmacy, status="registered").order_by("id")
    assert [(r.name, r.person) for r in registered] == [("上尾 花子", hanako), ("上尾 次子", None)]

    # --- attendance on the day, and the certificate read back ---
    office.goto(event_url)
    office.get_by_role("link", name="出欠を記録する").click()
    office.get_by_label("上尾 花子").check()
    office.get_by_label("上尾 次子").check()
    office.get_by_role("button", name="出欠を保存する").click()
    office.wait_for_load_state()
    serial = Registration.objects.get(name="上尾 花子").certificate_serial
    assert serial.startswith("GK2030-")
    with shop.expect_download() as info:
        shop.goto(event_url)
        shop.get_by_role("link", name=f"修了証 {serial}").click()
    pdf = Path(info.value.path()).read_bytes()
    text = "".join(page_texts(pdf))
    assert "修了証" in text and "上尾 花子" in text and "ゲートキーパー研修（基礎）" in text
    assert "令和12年11月14日（木）" in text and serial in text

    # --- a member posts on the bulletin; a phone-number-like text is warned about ---
    shop.goto(f"{url}/outreach/bulletin/new/")
    assert "個人情報・ケースの情報は書かないでください" in shop.locator("#no-personal-data").inner_text()
    field(shop, "分類").select_option(label="取組の工夫")
    field(shop, "題名").fill("カードの置き場所")
    field(shop, "本文").fill("女性トイレの個室に置くと減りが早いです。気になる方の連絡先は090-1234-5678です。")
    shop.get_by_role("button", name="投稿する").click()
    shop.wait_for_load_state()
    assert "電話番号のような数字が含まれています" in shop.locator("#personal-data-warning").inner_text()
    assert not Post.objects.exists()
    field(shop, "本文").fill("女性トイレの個室に置くと減りが早いです。")
    shop.get_by_role("button", name="投稿する").click()
    shop.wait_for_url(re.compile(r"/outreach/bulletin/[0-9a-f-]{36}/$"))
    assert Post.objects.get().title == "カードの置き場所"
    office.context.close()
    shop.context.close()
