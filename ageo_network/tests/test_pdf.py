import io
import shutil
import subprocess
import uuid

import pytest
from django.template import engines
from pypdf import PdfReader

from ageo_network import pdf


def fonts_of(content: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(content))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target["/FontDescriptor"].get_object()
            if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                names.add(str(target["/BaseFont"]))
    return names


def render(tmp_path, html: str, context=None, *, document=False):
    # A new name each time: the cached template loader would otherwise hand back an earlier test's page.
    name = f"doc-{uuid.uuid4().hex}.html"
    (tmp_path / name).write_text(html)
    template_dir = str(tmp_path)
    engine = engines["django"].engine
    engine.dirs.append(template_dir)
    try:
        if document:
            return pdf.pdf_document("test.pdf", name, context or {})
        return pdf.render_pdf(name, context or {})
    finally:
        engine.dirs.remove(template_dir)


PAGE = """{% load static %}<html lang="ja"><head><link rel="stylesheet" href="{% static 'css/print.css' %}"></head>
<body><h1>上尾市困難女性支援ネットワーク</h1><p>相談支援の連携</p>EXTRA</body></html>"""


def test_japanese_text_comes_back_out_and_the_font_is_embedded(tmp_path):
    content = render(tmp_path, PAGE.replace("EXTRA", ""))
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "上尾市困難女性支援ネットワーク" in text
    assert "相談支援の連携" in text
    assert any("IPAexGothic" in name for name in fonts_of(content))


def test_pdftotext_reads_the_japanese(tmp_path):
    assert shutil.which("pdftotext"), "poppler-utils is missing: make test installs it"
    content = render(tmp_path, PAGE.replace("EXTRA", ""))
    result = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    assert "相談支援の連携" in result.stdout.decode()


def test_fetcher_refuses_files_outside_static(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("機密")
    fetcher = pdf.StaticOnlyFetcher()
    for url in [f"file://{secret}", "http://127.0.0.1:1/x.png", "https://pdf.invalid/static/../settings.py"]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    ok = fetcher.fetch("https://pdf.invalid/static/css/print.css")
    assert b"IPAexGothic" in ok.read()


def test_an_image_outside_static_is_not_embedded(tmp_path):
    from PIL import Image

    image_path = tmp_path / "leak.png"
    Image.new("RGB", (40, 40), "red").save(image_path)
    content = render(tmp_path, PAGE.replace("EXTRA", f'<img src="file://{image_path}">'))
    reader = PdfReader(io.BytesIO(content))
    assert not list(reader.pages[0].images)


def test_harfbuzz_subsetting_is_available():
    from weasyprint.text.ffi import harfbuzz_subset

    assert harfbuzz_subset is not None, "libharfbuzz-subset0 is missing: make test installs it"


def test_fetcher_refuses_encoded_and_absolute_escapes():
    fetcher = pdf.StaticOnlyFetcher()
    for url in [
        "https://pdf.invalid/static/%2e%2e/settings.py",
        "https://pdf.invalid/static/css/..%5c..%5csettings.py",
        "https://pdf.invalid/static//etc/passwd",
        "https://pdf.invalid/static/",
        "https://pdf.invalid/media/x.png",
        "data:text/css,body{}",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_a_missing_static_file_stops_the_pdf(tmp_path):
    # WeasyPrint would render on without the stylesheet: no watermark, no page frame. No PDF instead.
    page = '<html><head><link rel="stylesheet" href="/static/css/missing.css"></head><body>x</body></html>'
    with pytest.raises(pdf.MissingStaticFile):
        render(tmp_path, page)


FRAMED = """{% extends "pdf/_base.html" %}{% block content %}<p>本文 PTA ABC 123</p>
<div style="break-before: page">二頁目</div>{% endblock %}"""


def test_the_page_frame_has_title_issue_date_and_page_numbers_on_every_page(tmp_path):
    import datetime

    from tests import pdfs

    context = {"title": "テスト文書", "issued": datetime.date(2024, 11, 26), "handling": True}
    document = render(tmp_path, FRAMED, context, document=True)
    assert (document.filename, document.content_type) == ("test.pdf", "application/pdf")
    pages = pdfs.page_texts(document.content)
    assert len(pages) == 2
    pdfs.assert_page_numbers(pages)
    for text in pages:
        compact = text.replace(" ", "")
        assert "テスト文書" in compact and "取扱注意" in compact
        assert "発行令和6年11月26日（火）" in compact
    pdfs.assert_only_shipped_fonts(document.content)  # Latin and digits too, header and footer included


def test_nobreak_words_keeps_words_whole_and_escapes():
    from ageo_network.templatetags.pdf import name_words, nobreak_words

    assert name_words("医療法人社団あおば会 あおばクリニック") == [["医療法人社団", "あおば会"], ["あおばクリニック"]]
    assert name_words("あげお薬局株式会社") == [["あげお薬局", "株式会社"]]
    assert name_words("上尾市PTA連合会") == [["上尾市PTA連合会"]]
    assert str(nobreak_words("株式会社<b>")) == '<span class="word">株式会社</span><span class="word">&lt;b&gt;</span>'
    assert 'class="long-word"' in str(nobreak_words("あ" * 30))
    assert nobreak_words("") == ""


def test_fit_words_boxes_only_a_name_too_long_for_one_line():
    """The roster's 2,000 names: a name that fits its column is plain text (one box for WeasyPrint to lay out,
    and it cannot break); a longer one keeps a box per word, so it breaks only between words."""
    from django.template import Context, Template

    from ageo_network.templatetags.pdf import fit_words, nobreak_words, text_ems

    assert text_ems("あげお薬局") == 5 and 0.6 < text_ems("a") < 0.7 and text_ems("M") == 0.9
    assert fit_words("あげお薬局 本町店", 21) == "あげお薬局 本町店"
    long_name = "医療法人社団あおば会 あおばクリニック上尾駅前本町通り分院"
    assert fit_words(long_name, 21) == nobreak_words(long_name)
    assert fit_words("", 21) == ""
    rendered = Template("{% load pdf %}{{ name|fit_words:21 }}").render(Context({"name": "<b>薬局"}))
    assert rendered == "&lt;b&gt;薬局"


def test_packed_lines_breaks_between_labels_only_and_escapes():
    from ageo_network.templatetags.pdf import packed_lines, text_ems

    labels = ["ゲートキーパー（気づき・声かけ・つなぎ・見守り）", "リーフレット・カードの設置・配布", "ポスターの掲示"]
    out = str(packed_lines(labels, 33))
    lines = out.split("<br>")
    assert lines == [
        "ゲートキーパー（気づき・声かけ・つなぎ・見守り）、",
        "リーフレット・カードの設置・配布、ポスターの掲示",
    ]
    assert all(text_ems(line) <= 33 for line in lines)
    assert str(packed_lines(["居場所", "物資"], 33)) == "居場所、物資"
    assert str(packed_lines(["<script>"], 33)) == "&lt;script&gt;"
    assert str(packed_lines([], 33)) == ""


def test_shared_modules_import_no_project_app():
    import ast
    from pathlib import Path

    apps = {"accounts", "audit", "cases", "meetings", "outreach", "registry"}
    for name in ("pdf.py", "documents.py", "spreadsheets.py", "wareki.py", "templatetags/pdf.py"):
        tree = ast.parse((Path(pdf.__file__).parent / name).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom | ast.Import):
                modules = [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                assert not {m.split(".")[0] for m in modules if m} & apps, f"{name} imports an app"
