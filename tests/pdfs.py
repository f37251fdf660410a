"""Reading PDFs back with poppler (pdftotext, pdffonts) as a person or a copier would see them."""

import html
import io
import re
import subprocess
from collections import Counter

from pypdf import PdfReader

SHIPPED_FONTS = {"Ageo-IPAexGothic", "Ageo-IPAexGothic-Bold"}  # the family print.css gives static/fonts/ipaexg.ttf


def page_texts(content: bytes) -> list[str]:
    """The text of each page, in reading order."""
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    pages = out.stdout.decode().split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def page_texts_with_rotated(content: bytes) -> list[str]:
    """The text of each page as pypdf reads it, spaces and line ends removed; unlike pdftotext it
    includes the rotated watermark."""
    reader = PdfReader(io.BytesIO(content))
    return [re.sub(r"\s", "", page.extract_text()) for page in reader.pages]


def fonts(content: bytes) -> list[tuple[str, bool]]:
    """(font name without its subset tag, embedded) for every font of the document, as pdffonts lists them."""
    out = subprocess.run(["pdffonts", "-"], input=content, capture_output=True, check=True).stdout.decode()
    header, rule, *lines = out.splitlines()
    columns = [(m.start(), m.end()) for m in re.finditer(r"-+", rule)]
    names = [header[start:end].strip() for start, end in columns]
    rows = []
    for line in lines:
        cells = dict(zip(names, (line[start:end].strip() for start, end in columns), strict=True))
        rows.append((re.sub(r"^[A-Z]{6}\+", "", cells["name"]), cells["emb"] == "yes"))
    return rows


def line_words(content: bytes) -> Counter:
    """Every word pdftotext finds, i.e. each run of text on one line of one cell, counted."""
    out = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=content, capture_output=True, check=True)
    return Counter(html.unescape(word) for word in re.findall(r"<word [^>]*>(.*?)</word>", out.stdout.decode()))


def assert_page_numbers(pages: list[str]) -> None:
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert re.search(rf"(?<!\d){number} ?/ ?{total}(?!\d)", text), f"page {number} has no '{number} / {total}'"


def assert_only_shipped_fonts(content: bytes) -> None:
    found = fonts(content)
    assert found, "no font in the PDF"
    assert all(embedded for _, embedded in found), found
    assert {name for name, _ in found} <= SHIPPED_FONTS, found
