"""Encryption at rest: ciphertext in current and history tables, keys from the environment, keyed search hash."""

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from cases import keys
from cases.fields import normalise_reading, search_hash
from cases.models import Case
from tests.factories.cases import make_case

PLAIN = "上尾市本町九丁目九番"


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@pytest.mark.django_db
def test_values_are_ciphertext_in_the_table_and_in_its_history(bodies):
    case = make_case(name="上尾 花子", name_reading="アゲオ ハナコ", address=PLAIN, phone="090-1234-5678")
    [(name, address, phone)] = raw("SELECT name, address, phone FROM cases_case WHERE id = %s", [case.pk])
    history = raw("SELECT name, address FROM cases_historicalcase WHERE id = %s", [case.pk])
    assert history, "the history table holds the case"
    for value in [name, address, phone, *[v for row in history for v in row]]:
        assert value.startswith("gAAAAA")  # a Fernet token
        assert PLAIN not in value and "花子" not in value
    fernet = Fernet(settings.CASE_ENCRYPTION_KEYS[0])
    assert fernet.decrypt(address.encode()).decode() == PLAIN
    assert fernet.decrypt(history[0][1].encode()).decode() == PLAIN
    # Read back through the model, decrypted.
    assert Case.objects.get(pk=case.pk).address == PLAIN
    assert case.history.first().address == PLAIN


@pytest.mark.django_db
def test_each_save_gives_fresh_ciphertext_and_empty_stays_empty(bodies):
    one = make_case(address=PLAIN)
    two = make_case(address=PLAIN, phone="")
    rows = dict(raw("SELECT id, address FROM cases_case"))
    assert rows[one.pk] != rows[two.pk]  # randomised: equal values cannot be matched in the table
    assert raw("SELECT phone FROM cases_case WHERE id = %s", [two.pk]) == [("",)]


@pytest.mark.django_db
def test_encrypted_columns_cannot_be_filtered_on(bodies):
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError):
        list(Case.objects.filter(address=PLAIN))


def test_reading_normalisation_and_keyed_hash(settings):
    assert normalise_reading("やまだ　はなこ") == "ヤマダハナコ"
    assert normalise_reading("ﾔﾏﾀﾞ ﾊﾅｺ") == "ヤマダハナコ"
    digest = search_hash("ヤマダ ハナコ")
    assert digest == search_hash("やまだはなこ") == search_hash("ﾔﾏﾀﾞﾊﾅｺ")
    assert digest != search_hash("ヤマダ ハナエ")
    assert search_hash("") == ""
    settings.CASE_SEARCH_KEY = "another-search-key-of-enough-length-0123456789"
    assert search_hash("ヤマダハナコ") != digest  # keyed: without the key the hash cannot be recomputed


def test_keys_from_the_environment(monkeypatch):
    monkeypatch.delenv("X_KEYS", raising=False)
    with pytest.raises(ImproperlyConfigured, match="X_KEYS must be set"):
        keys.case_encryption_keys("X_KEYS", debug=False)
    assert keys.case_encryption_keys("X_KEYS", debug=True) == [keys.DEMO_ENCRYPTION_KEY]
    new, old = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("X_KEYS", f" {new} , {old} ")
    assert keys.case_encryption_keys("X_KEYS", debug=False) == [new, old]
    monkeypatch.setenv("X_KEYS", f"{new},not-a-key")
    with pytest.raises(ImproperlyConfigured, match="X_KEYS: key #2 is not a Fernet key"):
        keys.case_encryption_keys("X_KEYS", debug=False)
    monkeypatch.setenv("X_KEYS", keys.DEMO_ENCRYPTION_KEY)
    with pytest.raises(ImproperlyConfigured, match="demo key"):
        keys.case_encryption_keys("X_KEYS", debug=False)


def test_search_key_from_the_environment(monkeypatch):
    monkeypatch.delenv("X_SEARCH", raising=False)
    with pytest.raises(ImproperlyConfigured, match="X_SEARCH must be set"):
        keys.case_search_key("X_SEARCH", debug=False)
    assert keys.case_search_key("X_SEARCH", debug=True) == keys.DEMO_SEARCH_KEY
    monkeypatch.setenv("X_SEARCH", "short")
    with pytest.raises(ImproperlyConfigured, match="at least 32"):
        keys.case_search_key("X_SEARCH", debug=False)


def test_keys_never_come_from_secret_key():
    assert settings.SECRET_KEY not in settings.CASE_ENCRYPTION_KEYS
    assert settings.CASE_SEARCH_KEY != settings.SECRET_KEY


def _manage_check(**overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"CASE_ENCRYPTION_KEYS", "CASE_SEARCH_KEY"}}
    env.update({"DEBUG": "false", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "example.org", **overrides})
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_start_fails_naming_the_missing_variable():
    result = _manage_check(CASE_SEARCH_KEY="s" * 40)
    assert result.returncode != 0
    assert "CASE_ENCRYPTION_KEYS must be set when DEBUG is off" in result.stderr


def test_production_start_fails_on_a_malformed_key():
    result = _manage_check(CASE_ENCRYPTION_KEYS="0123456789", CASE_SEARCH_KEY="s" * 40)
    assert result.returncode != 0
    assert "CASE_ENCRYPTION_KEYS: key #1 is not a Fernet key" in result.stderr


def test_demo_key_only_with_debug_on():
    result = _manage_check(DEBUG="true", DATABASE_URL="")
    assert result.returncode == 0, result.stderr
