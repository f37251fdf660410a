import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ageo_network import uploads

PDF_BYTES = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"0" * 100


def _zip(names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def test_kind_is_read_from_the_content_not_the_name():
    pdf = SimpleUploadedFile("資料.docx", PDF_BYTES, content_type="application/msword")
    assert uploads.check_upload(pdf) is uploads.PDF
    xlsx = SimpleUploadedFile("a.pdf", _zip(["[Content_Types].xml", "xl/workbook.xml"]))
    assert uploads.check_upload(xlsx) is uploads.XLSX
    docx = SimpleUploadedFile("a.bin", _zip(["[Content_Types].xml", "word/document.xml"]))
    assert uploads.check_upload(docx) is uploads.DOCX
    png = SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 20)
    assert uploads.check_upload(png, kinds=uploads.IMAGES) is uploads.PNG


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "ファイルが空です。"),
        (b"<html><script>alert(1)</script></html>", "この種類のファイルは受け付けていません"),
        (b"PK\x03\x04not really a zip", "この種類のファイルは受け付けていません"),
    ],
)
def test_bad_files_are_refused_in_japanese(content, message):
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(SimpleUploadedFile("x.pdf", content))
    assert message in error.value.messages[0]


def test_a_zip_that_is_neither_xlsx_nor_docx_is_refused():
    with pytest.raises(ValidationError):
        uploads.check_upload(SimpleUploadedFile("x.xlsx", _zip(["evil.exe"])))


def test_size_limit(settings):
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(SimpleUploadedFile("x.pdf", PDF_BYTES))
    assert "大きすぎます" in error.value.messages[0]


def test_kinds_narrow_what_is_accepted():
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(SimpleUploadedFile("x.pdf", PDF_BYTES), kinds=uploads.IMAGES)
    assert "PNG画像、JPEG画像" in error.value.messages[0]


def test_private_storage_is_outside_the_static_and_template_trees(settings, tmp_path):
    storage = uploads.private_storage()
    location = str(storage.location)
    assert location == str(settings.PRIVATE_FILES_ROOT)
    assert not location.startswith(str(settings.STATIC_ROOT))
