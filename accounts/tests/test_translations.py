"""The project's own catalogue is compiled and wins over the packages' catalogues."""

from pathlib import Path

from django.conf import settings
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES" / "django.po"


def test_catalogue_is_compiled_and_current():
    mo = PO.with_suffix(".mo")
    assert mo.exists(), "locale/ja/LC_MESSAGES/django.mo is missing: run `make install` (msgfmt compiles it)"
    assert mo.stat().st_mtime >= PO.stat().st_mtime, "django.mo is older than django.po: run `make install`"


def test_project_translations_win():
    with translation.override("ja"):
        assert translation.gettext("Null characters are not allowed.").startswith("使用できない文字")
        assert translation.gettext("Created") == "作成"
        assert translation.gettext("- Select an option -") == "選んでください"
