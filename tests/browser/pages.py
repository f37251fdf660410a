"""Shared pieces of the browser tests: Debian's Chromium, launched for this closed network."""

import re

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps dialling out, and this machine refuses it.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def field(page, label):
    """The input a person finds by its visible label (required fields carry a trailing *)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\*?\s*$"))


def signed_in_page(chromium, live_server, client, login_as, role, body=None):
    """(person, page): a Chromium page (ja-JP) signed in as a new person of `role`, through the test
    client's session (password, second factor and pledge done by `login_as`). The one sign-in helper
    of the browser tests."""
    person = login_as(role, body=body)
    context = chromium.new_context(locale="ja-JP")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    # Forget the client's cookie so the next login_as starts a new session instead of flushing this one.
    client.cookies.clear()
    page = context.new_page()
    page.set_default_timeout(15_000)
    return person, page
