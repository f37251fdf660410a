import io
import shutil
import subprocess

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


def render(tmp_path, html: str) -> bytes:
    (tmp_path / "doc.html").write_text(html)
    template_dir = str(tmp_path)
    engine = engines["django"].engine
    engine.dirs.append(template_dir)
    try:
        return pdf.render_pdf("doc.html", {})
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
