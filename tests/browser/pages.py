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
