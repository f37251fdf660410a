"""Encryption at rest for the case file's personal data and narratives, and the keyed search hash.

Values are encrypted with cryptography's MultiFernet under the keys of CASE_ENCRYPTION_KEYS
(newest first: the first key encrypts, every listed key decrypts). simple-history copies the
field class into the history models, so history tables hold ciphertext too.
"""

import hashlib
import hmac
import json
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from ageo_network.japanese import normalise_reading


@lru_cache(maxsize=8)
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("CASE_ENCRYPTION_KEYS is empty")
    return MultiFernet([Fernet(key) for key in keys])


def multifernet() -> MultiFernet:
    # Keyed on the configured tuple so a changed setting (rotation, tests) takes effect at once.
    return _multifernet(tuple(settings.CASE_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return multifernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return multifernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        # Never include the token or any value in the message: it ends up in logs.
        raise ImproperlyConfigured(
            "An encrypted case value cannot be decrypted with CASE_ENCRYPTION_KEYS (a retired key is missing?)"
        ) from None


def search_hash(reading: str) -> str:
    """HMAC-SHA256 of the normalised reading with CASE_SEARCH_KEY; '' for an empty reading."""
    normalised = normalise_reading(reading)
    if not normalised:
        return ""
    return hmac.new(settings.CASE_SEARCH_KEY.encode("utf-8"), normalised.encode("utf-8"), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column stored as a Fernet token. Empty text stays empty; nothing can be filtered on it."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_db_prep_value(self, value, connection, prepared=False):
        value = super().get_db_prep_value(value, connection, prepared)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def get_lookup(self, lookup_name):
        # Ciphertext is randomised: any lookup but isnull would silently match nothing.
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None

    def get_transform(self, lookup_name):
        return None


class EncryptedJSONField(EncryptedTextField):
    """A JSON value (the referral packet) stored as one Fernet token."""

    def from_db_value(self, value, expression, connection):
        text = super().from_db_value(value, expression, connection)
        if text is None or text == "":
            return {} if text == "" else None
        return json.loads(text)

    def to_python(self, value):
        if isinstance(value, str) and value:
            return json.loads(value)
        return value

    def get_prep_value(self, value):
        if value is None:
            return None
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))
