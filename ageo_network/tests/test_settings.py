"""Production settings are checked in a fresh interpreter, as a server would start."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-like-secret-key-with-enough-entropy-0123456789-abcdefghij",
    "ALLOWED_HOSTS": "network.city.ageo.example",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/ageo_network",
}


def run_manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    clean.update(env)
    clean.pop("SECURE_SSL_REDIRECT", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_zero_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_sqlite():
    env = {**PRODUCTION_ENV}
    del env["DATABASE_URL"]
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "DATABASE_URL must point to PostgreSQL" in result.stderr


def test_production_requires_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_bad_values_name_the_variable():
    result = run_manage("check", **{**PRODUCTION_ENV, "DEBUG": "maybe"})
    assert "DEBUG must be one of" in result.stderr
    result = run_manage("check", **{**PRODUCTION_ENV, "EMAIL_PORT": "twenty-five"})
    assert "EMAIL_PORT must be an integer" in result.stderr
    result = run_manage("check", **{**PRODUCTION_ENV, "EMAIL_BACKEND": "pigeon"})
    assert "EMAIL_BACKEND must be smtp or console" in result.stderr
    result = run_manage("check", **{**PRODUCTION_ENV, "DATABASE_URL": "mysql://x/y"})
    assert "DATABASE_URL must start with postgres://" in result.stderr


def test_postgres_connections_persist():
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0


def test_japanese_and_tokyo():
    assert settings.LANGUAGE_CODE == "ja"
    assert settings.TIME_ZONE == "Asia/Tokyo"
    assert settings.USE_TZ is True
