"""In real Chromium, a whole Art. 7 meeting: the secretariat creates it on a holiday (a warning), invites every
body; a department member and a business member answer with named attendees (each invitation mail has one
recipient and a valid .ics); attendance; minutes written, circulated, a correction proposed and accepted,
approved and locked (an edit is refused); the stored PDF read back; the published minutes on the public page."""

import datetime
import re

import icalendar
import pytest
from django.core import mail

from meetings.models import Meeting, Minutes
from registry.models import Body, Person
from tests.browser.pages import field, signed_in_page
from tests.factories.registry import make_body
from tests.pdfs import page_texts

Role = Person.Role
HOLIDAY = datetime.date(2027, 2, 11)  # 建国記念の日, a Thursday


def _with_email(person, address):
    person.user.email = address
    person.user.save(update_fields=["email"])
    return person


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_whole_representatives_meeting(chromium, live_server, client, login_as):
    from django.core.management import call_command

    call_command("loaddata", "bodies", verbosity=0)
    url = live_server.url
    seikatsu = Body.objects.get(code="dept-seikatsu-shien")
    pharmacy = make_body(name="上尾中央薬局", name_kana="アゲオチュウオウヤッキョク")
    secretary, sec = signed_in_page(
        chromium, live_server, client, login_as, Role.SECRETARIAT, Body.objects.get(code="dept-jinken-danjo")
    )
    clerk, dept = signed_in_page(chromium, live_server, client, login_as, Role.DEPARTMENT_STAFF, seikatsu)
    owner, shop = signed_in_page(chromium, live_server, client, login_as, Role.BUSINESS_MEMBER, pharmacy)
    _with_email(clerk, "clerk@example.jp")
    _with_email(owner, "owner@example.jp")

    # --- the secretariat creates the meeting on a holiday: it warns ---
    page = sec
    page.goto(f"{url}/meetings/new/")
    field(page, "会議の種類").select_option(label="代表者会議")
    field(page, "開催日").fill(HOLIDAY.isoformat())
    field(page, "開始時刻").fill("14:00")
    field(page, "終了時刻").fill("16:00")
    field(page, "場所").fill("上尾市役所 7階 大会議室")
    page.locator("#meeting-save").click()
    page.wait_for_url(re.compile(r".*/meetings/[0-9a-f-]{36}/$"))
    assert "建国記念の日" in page.content() and "閉庁日" in page.content()
    meeting = Meeting.objects.get()
    assert page.locator("#meeting-title").inner_text() == "令和8年度 第1回 上尾市困難女性支援ネットワーク代表者会議"
    assert "令和9年2月11日（木）" in page.locator("#meeting-when").inner_text()

    # --- every current body is invited by default ---
    page.locator("#invite-link").click()
    checked = page.locator("input[name=bodies]:checked").count()
    assert checked == Body.objects.active().count()
    page.locator("#invite-send").click()
    page.wait_for_url(re.compile(r".*/meetings/[0-9a-f-]{36}/$"))
    assert meeting.invitations.count() == checked

    invitations = [m for m in mail.outbox if m.to[0] in ("clerk@example.jp", "owner@example.jp")]
    assert len(invitations) == 2
    for message in invitations:
        assert len(message.to) == 1 and not message.cc and not message.bcc
        (attachment,) = message.attachments
        cal = icalendar.Calendar.from_ical(attachment[1])
        (event,) = cal.walk("VEVENT")
        assert cal["METHOD"] == "REQUEST" and str(event["UID"]) == f"meeting-{meeting.uuid}@ageo-network"
        assert str(event["SUMMARY"]) == meeting.title

    # --- a department member and a business member answer with named attendees ---
    for page, person in ((dept, clerk), (shop, owner)):
        page.goto(f"{url}/")
        page.get_by_role("link", name=meeting.title).click()
        page.get_by_label("出席します").check()
        page.get_by_label(person.name).check()
        page.locator("#answer-save").click()
        page.wait_for_url(re.compile(r".*/meetings/[0-9a-f-]{36}/$"))
        assert person.name in page.locator("#invitations").inner_text()

    # --- attendance, agenda and minutes ---
    page = sec
    page.goto(f"{url}{meeting.get_absolute_url()}")
    page.locator("#agenda-add-link").click()
    field(page, "議題").fill("令和8年度の活動報告")
    field(page, "協議事項（要綱）").select_option(value="organisation")
    field(page, "説明者").fill("事務局")
    page.locator("#agenda-save").click()
    page.wait_for_url(re.compile(r".*/meetings/[0-9a-f-]{36}/$"))
    page.locator("#attendance-link").click()
    for select in page.locator("select").all():
        select.select_option(label="出席")
    page.locator("#attendance-save").click()
    page.wait_for_url(re.compile(r".*/meetings/[0-9a-f-]{36}/$"))
    page.locator(".minutes-edit").first.click()
    field(page, "議事の経過").fill("事務局から今年度の活動を報告し、質疑を行った。")
    field(page, "決定事項").fill("啓発ポスターを全機関に配布する。")
    page.locator("#minutes-item-save").click()
    page.wait_for_url(re.compile(r".*/meetings/[0-9a-f-]{36}/$"))
    page.locator(".minutes-edit").first.click()
    field(page, "担当する機関").select_option(label="上尾中央薬局")
    field(page, "内容").fill("ポスターを店頭に掲示する")
    field(page, "期日").fill("2027-03-15")
    page.locator("#action-add").click()
    page.goto(f"{url}{meeting.get_absolute_url()}")
    page.locator("#id_confirm_by").fill((datetime.date.today() + datetime.timedelta(days=7)).isoformat())
    page.locator("#minutes-circulate").click()
    page.wait_for_url(re.compile(r".*/meetings/[0-9a-f-]{36}/$"))
    assert page.locator("#minutes-status").inner_text() == "確認依頼中"

    # --- the department clerk confirms the draft as it stands ---
    page = dept
    page.goto(f"{url}{meeting.get_absolute_url()}")
    page.locator("#minutes-confirm").click()
    page.wait_for_url(re.compile(r".*/meetings/[0-9a-f-]{36}/$"))
    assert "内容を確認済みです" in page.locator("#my-confirmation").inner_text()

    # --- the business member proposes a correction; the secretariat accepts it ---
    page = shop
    page.goto(f"{url}{meeting.get_absolute_url()}")
    page.locator("textarea[name=text]").first.fill("「配布する」を「配布し、掲示する」に")
    page.locator(".correction-propose").first.click()
    page.wait_for_url(re.compile(r".*/meetings/[0-9a-f-]{36}/$"))
    page = sec
    page.goto(f"{url}{meeting.get_absolute_url()}")
    confirmations = page.locator("#confirmations").inner_text()
    assert "確認済み" in confirmations and "修正を提案" in confirmations
    assert "配布し、掲示する" in page.locator(".correction").first.inner_text()
    page.locator(".correction select").first.select_option(label="反映する")
    page.locator(".correction-decide").first.click()
    page.wait_for_url(re.compile(r".*/meetings/[0-9a-f-]{36}/$"))
    page.locator(".minutes-edit").first.click()
    field(page, "決定事項").fill("啓発ポスターを全機関に配布し、掲示する。")
    page.locator("#minutes-item-save").click()
    page.wait_for_url(re.compile(r".*/meetings/[0-9a-f-]{36}/$"))

    # --- approval renders and stores the PDF, which locks the minutes ---
    page.locator("#minutes-approve").click()
    page.wait_for_url(re.compile(r".*/meetings/[0-9a-f-]{36}/$"))
    page.reload()
    assert page.locator("#minutes-status").inner_text() == "確定"
    minutes = Minutes.objects.get(meeting=meeting)
    assert page.locator("#pdf-hash").inner_text() == minutes.pdf_sha256

    item = meeting.agenda_items.get()
    page.goto(f"{url}/meetings/{meeting.uuid}/agenda/{item.pk}/")
    field(page, "議事の経過").fill("書き換えようとする")
    page.locator("#minutes-item-save").click()
    assert "承認された会議録は変更できません" in page.content()
    item.refresh_from_db()
    assert item.discussion == "事務局から今年度の活動を報告し、質疑を行った。"

    response = page.request.get(f"{url}/meetings/{meeting.uuid}/minutes.pdf")
    assert response.status == 200
    pages = page_texts(response.body())
    text = "".join(pages)
    assert "令和8年度 第1回 上尾市困難女性支援ネットワーク代表者会議" in text
    assert "令和9年2月11日（木）" in text
    for name in (seikatsu.name, clerk.name, pharmacy.name, owner.name):
        assert name in text
    assert "配布し、掲示する" in text and "ポスターを店頭に掲示する" in text
    assert all(re.search(rf"\b{n}\s*/\s*{len(pages)}\b", p) for n, p in enumerate(pages, start=1))

    # --- published: the public page lists it, without signing in ---
    page.goto(f"{url}{meeting.get_absolute_url()}")
    page.locator("#minutes-publish").click()
    page.wait_for_url(re.compile(r".*/meetings/[0-9a-f-]{36}/$"))
    public = chromium.new_context(locale="ja-JP").new_page()
    public.goto(f"{url}/meetings/published/")
    assert meeting.title in public.locator("#public-minutes").inner_text()
    assert minutes.pdf_sha256 in public.content()
