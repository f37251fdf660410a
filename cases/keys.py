"""Reading the case encryption and search keys from the environment (imported by settings; stdlib only).

The keys never derive from SECRET_KEY: rotating one must not touch the other, and a leaked
SECRET_KEY (it signs cookies, so it is widely spread) must not open the case files.
"""

import base64
import binascii
import os

from django.core.exceptions import ImproperlyConfigured

# Used only when DEBUG is on (the local demo); never valid in production.
DEMO_ENCRYPTION_KEY = "AvXjlZKruesUq8eMnAqV3fgbBnGU_ehTNQW3EfSvHZQ="
DEMO_SEARCH_KEY = "2kXh-hP1km4zr1mDtQo7Q8rl9hSj9k_k070uSO1jVYY"
MIN_SEARCH_KEY_LENGTH = 32


def _is_fernet_key(key: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(key.encode("ascii"))) == 32
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return False


def case_encryption_keys(name: str, *, debug: bool) -> list[str]:
    """Comma-separated Fernet keys, newest first. The first encrypts; all of them decrypt."""
    raw = os.getenv(name, "").strip()
    if not raw:
        if debug:
            return [DEMO_ENCRYPTION_KEY]
        raise ImproperlyConfigured(
            f"{name} must be set when DEBUG is off: comma-separated Fernet keys, newest first "
            '(python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())")'
        )
    keys = [key.strip() for key in raw.split(",") if key.strip()]
    for position, key in enumerate(keys, start=1):
        if not _is_fernet_key(key):
            raise ImproperlyConfigured(f"{name}: key #{position} is not a Fernet key (32 url-safe base64 bytes)")
    if not debug and DEMO_ENCRYPTION_KEY in keys:
        raise ImproperlyConfigured(f"{name} must not contain the demo key when DEBUG is off")
    return keys


def case_search_key(name: str, *, debug: bool) -> str:
    """The HMAC key for searching by reading; a separate secret from the encryption keys."""
    raw = os.getenv(name, "").strip()
    if not raw:
        if debug:
            return DEMO_SEARCH_KEY
        raise ImproperlyConfigured(
            f"{name} must be set when DEBUG is off (at least {MIN_SEARCH_KEY_LENGTH} characters)"
        )
    if len(raw) < MIN_SEARCH_KEY_LENGTH:
        raise ImproperlyConfigured(f"{name} must be at least {MIN_SEARCH_KEY_LENGTH} characters long")
    if not debug and raw == DEMO_SEARCH_KEY:
        raise ImproperlyConfigured(f"{name} must not be the demo key when DEBUG is off")
    return raw
