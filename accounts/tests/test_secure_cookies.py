"""With DEBUG off the cookies are always Secure, and .env.example says so (a plain-http sign-in seems to do nothing)."""

from pathlib import Path

from django.conf import settings


def test_cookies_are_secure_when_debug_is_off():
    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.CSRF_COOKIE_SECURE is True


def test_env_example_explains_secure_cookies():
    text = (Path(settings.BASE_DIR) / ".env.example").read_text()
    assert "always Secure" in text and "https://" in text
