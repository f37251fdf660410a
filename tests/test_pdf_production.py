"""Every PDF, rendered as production renders it: after a real `collectstatic`, from hashed static names.

The rest of the suite uses plain static storage, under which a fetcher that cannot resolve hashed
names still works; here the stylesheet, the page frame, the font and the watermark must all load.
"""

from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.templatetags.static import static
from django.utils import timezone

from ageo_network import pdf
from ageo_network.templatetags.pdf import name_words
from ageo_network.wareki import wareki_date
from cases.documents import case_summary_document
from registry.documents import roster_pdf_document
from registry.models import Body, Person
from tests import pdfs
from tests.factories.cases import make_case
from tests.factories.documents import add_consultations, make_roster_businesses
from tests.factories.registry import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("production_storage")]

# Every PDF template (templates/pdf/, partials aside) has a test in this module.
RENDERED_HERE = {"roster.html", "case_summary.html", "minutes.html", "certificate.html", "network_report.html"}


def test_every_pdf_template_is_rendered_here():
    templates = {p.name for p in (Path(settings.BASE_DIR) / "templates" / "pdf").glob("*.html")}
    assert {t for t in templates if not t.startswith("_")} == RENDERED_HERE


def test_the_stylesheet_and_font_are_read_under_their_hashed_names():
    url = static("css/print.css")
    assert url != "/static/css/print.css", "collectstatic did not hash the stylesheet"
    css = pdf.StaticOnlyFetcher().fetch(f"https://pdf.invalid{url}").read()
    assert b"ipaexg.ttf" not in css and b"/fonts/ipaexg." in css  # the collected copy names the hashed font
    font_name = css.split(b"../fonts/")[1].split(b'"')[0].decode()
    assert len(pdf.StaticOnlyFetcher().fetch(f"https://pdf.invalid/static/fonts/{font_name}").read()) > 1_000_000


def _broken(words: Counter, expected: list[str]) -> list[str]:
    """The expected words that pdftotext does not find whole on one line as often as they are printed."""
    return [word for word, count in Counter(expected).items() if words[word] < count]


def _splits(pieces: list[str]):
    """Every way of printing the pieces on consecutive lines: ['a', 'b'] → ['ab'], ['a', 'b']."""
    if len(pieces) == 1:
        yield pieces
        return
    for rest in _splits(pieces[1:]):
        yield [pieces[0] + rest[0], *rest[1:]]
        yield [pieces[0], *rest]


def _broken_names(words: Counter, bodies) -> list[str]:
    """The names not found as whole words, or split only where nobreak_words allows (spaces, legal forms)."""
    return [
        body.name
        for body in bodies
        for pieces in name_words(body.name)
        if not any(all(words[chunk] for chunk in split) for split in _splits(pieces))
    ]


def _check_roster(content: bytes, bodies):
    pdfs.assert_only_shipped_fonts(content)
    pages = pdfs.page_texts(content)
    pdfs.assert_page_numbers(pages)
    for number, text in enumerate(pages, start=1):
        assert "構成機関名簿" in text, f"page {number} has no title header"
    words = pdfs.line_words(content)
    assert not _broken_names(words, bodies), "a name breaks inside a word"
    assert not _broken(words, [wareki_date(b.joined_on) for b in bodies if b.joined_on]), "a date breaks"
    assert words["市内外"] >= 1
    return pages, words


def test_roster_pdf_of_the_26_bodies(bodies):
    document = roster_pdf_document(today=timezone.localdate())
    _pages, words = _check_roster(document.content, list(bodies))
    assert words["上尾市PTA連合会"] == 1  # Latin in the Japanese font: pdffonts lists no other


def test_roster_pdf_of_300_bodies_with_long_names(bodies):
    bodies = list(bodies)
    businesses = make_roster_businesses(300)
    assert max(len(w) for b in businesses for part in name_words(b.name) for w in part) <= 22
    document = roster_pdf_document(today=timezone.localdate())
    pages, _words = _check_roster(document.content, [*bodies, *businesses])
    assert len(pages) >= 10


def test_case_summary_pdf_is_framed_and_watermarked_on_every_page(bodies):
    worker = make_person(role=Person.Role.HUB_WORKER, body=Body.objects.get(code="hub"), name="閲覧 花子")
    case = make_case(lead=worker, name="印刷 花子")
    add_consultations(case, by=worker.user, count=60)
    document = case_summary_document(case, reader=worker.user, at=timezone.now())
    pdfs.assert_only_shipped_fonts(document.content)
    pages = pdfs.page_texts(document.content)
    assert len(pages) >= 5
    pdfs.assert_page_numbers(pages)
    for number, compact in enumerate(pdfs.page_texts_with_rotated(document.content), start=1):
        assert f"ケース概要{case.number}" in compact, f"page {number}: no title header"
        assert "取扱注意・複製禁止" in compact, f"page {number}: no watermark"
        assert "閲覧者閲覧花子" in compact, f"page {number}: no reader in the watermark"
        assert "閲覧者：閲覧花子" in compact, f"page {number}: no reader line"
        assert "発行令和" in compact, f"page {number}: no issue date"


def test_case_summary_of_a_300_consultation_case(bodies, record_property):
    """The long case of issue 12 (300 consultations, 49 pages there) under the production static storage:
    every page framed, nothing lost at the end. The time is recorded (a shared test machine cannot hold a
    bound; `make bench` measures it against the issue's 3-second target)."""
    import time

    worker = make_person(role=Person.Role.HUB_WORKER, body=Body.objects.get(code="hub"), name="閲覧 花子")
    case = make_case(lead=worker, name="長期 花子")
    add_consultations(case, by=worker.user, count=300, words=130)
    began = time.monotonic()
    document = case_summary_document(case, reader=worker.user, at=timezone.now())
    record_property("seconds", round(time.monotonic() - began, 2))
    pdfs.assert_only_shipped_fonts(document.content)
    pages = pdfs.page_texts(document.content)
    record_property("pages", len(pages))
    assert len(pages) >= 40
    pdfs.assert_page_numbers(pages)
    text = "".join(pages)
    assert "相談の記録 0 " in text and "相談の記録 299 " in text


def test_case_review_minutes_are_framed_and_watermarked_on_every_page(bodies):
    from meetings.documents import minutes_pdf_document
    from tests.factories.meetings import make_long_minutes

    meeting = make_long_minutes(kind="case_review", items=25)
    document = minutes_pdf_document(meeting, reader="閲覧 花子", at=timezone.now())
    pdfs.assert_only_shipped_fonts(document.content)
    pages = pdfs.page_texts(document.content)
    assert len(pages) >= 3
    pdfs.assert_page_numbers(pages)
    for number, compact in enumerate(pdfs.page_texts_with_rotated(document.content), start=1):
        assert meeting.title in compact, f"page {number}: no title header"
        assert "取扱注意" in compact, f"page {number}: no handling mark"
        assert "閲覧者閲覧花子" in compact, f"page {number}: no reader in the watermark"


def test_representatives_minutes_name_every_attending_body_whole(bodies):
    from meetings.documents import minutes_pdf_document
    from tests.factories.meetings import make_long_minutes

    meeting = make_long_minutes(kind="representatives", items=3, every_body=True)
    document = minutes_pdf_document(meeting)
    pdfs.assert_only_shipped_fonts(document.content)
    pages = pdfs.page_texts(document.content)
    pdfs.assert_page_numbers(pages)
    assert "取扱注意" not in "".join(pages)
    attending = [a.person.body for a in meeting.attendees.select_related("person__body")]
    assert len(attending) == 26
    assert not _broken_names(pdfs.line_words(document.content), attending), "a body's name breaks inside a word"


def test_the_certificate_title_is_large_and_centred(bodies):
    """修了証 is the page's headline (print.css .certificate-page), not the 15pt title of the other documents."""
    import re
    import subprocess

    from outreach.documents import certificate_pdf_document
    from tests.factories.outreach import make_event, make_registration

    registration = make_registration(
        event=make_event(days_ahead=10), body=Body.objects.get(code="hub"), attended=True, certificate_serial="GK1"
    )
    content = certificate_pdf_document(registration).content
    out = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=content, capture_output=True, check=True)
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out.stdout.decode()
    )
    # The body's title is spaced (修 了 証); the page header repeats it small, in one word.
    title = [
        (float(x0), float(y0), float(x1), float(y1)) for x0, y0, x1, y1, text in words if text in ("修", "了", "証")
    ]
    assert len(title) == 3, words[:12]
    heights = [y1 - y0 for _, y0, _, y1 in title]
    assert min(heights) >= 30  # points: 40pt type, against 15pt for other documents
    left, right = title[0][0], title[-1][2]
    page_centre = 595.3 / 2  # A4 width in points
    assert abs((left + right) / 2 - page_centre) < 12


def test_gatekeeper_certificate_pdf_is_one_framed_page(bodies):
    from outreach.documents import certificate_pdf_document
    from tests.factories.outreach import make_event, make_registration

    event = make_event(title="ゲートキーパー研修（基礎）", days_ahead=10)
    registration = make_registration(
        event=event,
        body=Body.objects.get(code="hub"),
        name="上尾 花子",
        attended=True,
        certificate_serial="GK2026-0001",
    )
    document = certificate_pdf_document(registration)
    pdfs.assert_only_shipped_fonts(document.content)
    pages = pdfs.page_texts(document.content)
    assert len(pages) == 1
    pdfs.assert_page_numbers(pages)
    assert "修了証" in pages[0] and "上尾 花子" in pages[0] and "GK2026-0001" in pages[0]
    assert wareki_date(event.day, weekday=True) in pages[0]


def test_network_report_pdf_draws_its_charts_in_the_shipped_font(bodies):
    from reports.documents import network_pdf_document

    document = network_pdf_document(2024, today=timezone.localdate())
    pdfs.assert_only_shipped_fonts(document.content)
    pages = pdfs.page_texts(document.content)
    pdfs.assert_page_numbers(pages)
    text = "".join(pages)
    assert "構成機関の数（種別）" in text and "拠点が受けた情報提供（提供元の種別）" in text
