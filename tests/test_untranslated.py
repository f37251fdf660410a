"""No English UI text on any page of any role.

Walks every URL pattern through the permission matrix (tests/test_permission_matrix.py), so a new app's
pages are scanned as soon as they have matrix rows: every GET page a role may open is fetched as that
role, and its visible text and the attributes people read (title, placeholder, aria-label, alt, button
values) are searched for words in Latin letters that are not on the short list of names and abbreviations
the network uses as they are.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.permission_matrix import ANON, ROLES, SYSADMIN, fresh_world
from tests.test_permission_matrix import MATRIX, URL_NAMES, _sign_in, world  # noqa: F401 (fixture)

# Written in Latin letters on purpose: abbreviations, formats, product and body names.
ALLOWED = {
    "PDF",
    "CSV",
    "xlsx",
    "Excel",
    "Word",
    "docx",
    "PNG",
    "JPEG",
    # Material languages are named in their own language, as the leaflets are.
    "English",
    "Tagalog",
    "URL",
    "ID",
    "IP",
    "NPO",
    "PTA",
    "DV",
    "TOTP",
    "QR",
    "UTF",
    "BOM",
    "Google",
    "Microsoft",
    "Authenticator",
}
WORD = re.compile(r"(?<![\w@./-])[A-Za-z][A-Za-z'’]{2,}(?![\w@/-])")
READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}


class _Text(HTMLParser):
    """The text a person reads: element text outside script/style, and the attributes shown to people."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        attrs = dict(attrs)
        for name in READ_ATTRIBUTES & attrs.keys():
            self.parts.append(attrs[name] or "")
        if tag == "input" and attrs.get("type") in ("submit", "button"):
            self.parts.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def english_words(html: str) -> set[str]:
    parser = _Text()
    parser.feed(html)
    words = set()
    for part in parser.parts:
        # Addresses, user names, numbers and dotted identifiers (an access-log row's object type) are data.
        part = re.sub(r"\S+@\S+|https?://\S+|\b[\w.-]*\d[\w.-]*\b|\b[a-z_]+\.[a-z_.]+\b", " ", part)
        words |= {w for w in WORD.findall(part) if w not in ALLOWED}
    return words


def _get_pages(row_filter):
    return [name for name in URL_NAMES if MATRIX[name].method == "get" and row_filter(MATRIX[name])]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_english_on_any_page_of_the_role(client, login_as, world, role):  # noqa: F811
    _sign_in(login_as, world, role)
    found = {}
    scanned = 0
    for name in _get_pages(lambda row: row.expected(role) == 200):
        row = MATRIX[name]
        url = reverse(name, kwargs=row.kwargs(fresh_world(world)) if row.kwargs else {})
        response = client.get(url, follow=True)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        scanned += 1
        words = english_words(response.content.decode())
        if words:
            found[name] = sorted(words)
    assert scanned >= (3 if role == ANON else 5), f"only {scanned} pages scanned for {role}"
    assert not found, f"English UI text for {role}: {found}"


@pytest.mark.django_db
def test_no_english_in_the_admin_index_and_lists(client, login_as, world):  # noqa: F811
    """The admin as the system administrator sees it: the index and the sign-in support lists."""
    _sign_in(login_as, world, SYSADMIN)
    person = world.people[SYSADMIN]
    person.user.is_staff = True
    person.user.save(update_fields=["is_staff"])
    pages = ["/admin/", "/admin/otp_totp/totpdevice/", "/admin/otp_static/staticdevice/", "/admin/axes/accessattempt/"]
    found = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        # The admin's own chrome is Django's (translated); what is ours to translate are the names of things.
        html = response.content.decode()
        html = re.sub(r'<div id="header">.*?</div>', "", html, flags=re.S)
        # Django's admin templates hard-code the alt text of their icons (search, yes/no): not translatable.
        words = english_words(html) - {"Django", "Search", "True", "False", "None"}
        if words:
            found[url] = sorted(words)
    assert not found, f"English in the admin: {found}"


def test_the_scanner_finds_english():
    assert english_words("<td>Created</td><td>作成</td>") == {"Created"}
    assert english_words('<option value="">- Select an option -</option>') == {"Select", "option"}
    assert english_words('<input type="submit" value="Save">') == {"Save"}
    assert english_words("<td>user12 / a@example.jp / R8-0001 / PDF</td>") == set()
