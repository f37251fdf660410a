"""Fixtures for the registered-business tests."""

import time

import pytest

from registry.forms import signup_started_token


def valid_signup_data(**overrides) -> dict:
    """What a person would post from /registry/signup/, with the form shown a minute ago."""
    data = {
        "name": "あげお薬局",
        "name_kana": "アゲオヤッキョク",
        "business_kind": "pharmacy",
        "representative": "上尾 一郎",
        "contact_name": "上尾 花子",
        "contact_kana": "アゲオ ハナコ",
        "postal_code": "362-8501",
        "address": "埼玉県上尾市本町3-1-1",
        "in_city": "auto",
        "phone": "048-775-1234",
        "email": "hanako@example.jp",
        "website": "",
        "activities": ["poster", "leaflet"],
        "activity_other": "",
        "roster_consent": "on",
        "roster_show_address": "on",
        "rules_accepted": "on",
        "nickname": "",
        "started": signup_started_token(time.time() - 60),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def signup_data():
    return valid_signup_data


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on_commit callbacks (emails) inside the test transaction: `with on_commit(): ...`."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
