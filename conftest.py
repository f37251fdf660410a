"""Test-only settings and shared fixtures.

The suite runs with DEBUG off (production code paths) against PostgreSQL.
"""

import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path_factory):
    # Plain static storage: the manifest needs collectstatic, which tests do not run.
    # Stored files (minutes, materials) go to a temporary folder, never the demo's var/private.
    settings.PRIVATE_FILES_ROOT = tmp_path_factory.mktemp("private")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": settings.PRIVATE_FILES_ROOT},
        },
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tasks run where they are enqueued (after commit), so tests read mail.outbox; the worker's own
    # tests (ageo_network/tests/test_worker.py) use the database queue and the real worker.
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend", "QUEUES": settings.TASK_QUEUES}
    }


@pytest.fixture(scope="session")
def production_static(tmp_path_factory):
    """Settings after a real `collectstatic` with the production static storage (hashed names), once per session."""
    from django.core.management import call_command
    from django.test import override_settings
    from whitenoise.compress import Compressor

    from ageo_network import settings as project_settings

    storages = project_settings.STORAGES  # DEBUG is off in tests, so this is the production storage
    assert "Manifest" in storages["staticfiles"]["BACKEND"], storages
    overrides = {"STATIC_ROOT": str(tmp_path_factory.mktemp("staticfiles")), "STORAGES": storages}
    # Compressing the 6 MB font (gzip and brotli) is most of collectstatic's time, and nothing the PDFs read.
    skip = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "ttf"]
    with override_settings(**overrides, WHITENOISE_SKIP_COMPRESS_EXTENSIONS=skip):
        call_command("collectstatic", interactive=False, verbosity=0)
    return overrides


@pytest.fixture
def production_storage(production_static, settings):
    """This test reads static files as production does: from the collected, hashed files only."""
    for name, value in production_static.items():
        setattr(settings, name, value)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache: every test starts from an empty one."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def bodies(db):
    """The 26 constituent bodies of the fixtures."""
    from django.core.management import call_command

    from registry.models import Body

    call_command("loaddata", "bodies", verbosity=0)
    return Body.objects.all()


@pytest.fixture
def hub(bodies):
    """上尾市男女共同参画推進センター, the hub."""
    from registry.models import Body

    return Body.objects.get(code="hub")


@pytest.fixture
def seikatsu(bodies):
    """健康福祉部生活支援課, the department most referrals go to."""
    from registry.models import Body

    return Body.objects.get(code="dept-seikatsu-shien")


@pytest.fixture
def police(bodies):
    from registry.models import Body

    return Body.objects.get(code="agency-ageo-police")


@pytest.fixture
def person_factory(db):
    from tests.factories.registry import make_person

    return make_person


def two_factor_verify(client, user):
    """Give `user` a confirmed authenticator device and mark the client's session verified (see django_otp.login)."""
    from accounts.services import totp_device_create
    from accounts.sessions import two_factor_session_data

    device = totp_device_create(user=user, by=None)
    session = client.session
    session.update(two_factor_session_data(device))
    session.save()
    return device


def _login_as(client, role, body=None, pledged=True, verified=True):
    from accounts.access import requires_two_factor
    from registry import services
    from registry.models import PledgeVersion
    from tests.factories.registry import make_person

    person = make_person(role=role, body=body)
    if pledged:
        services.pledge_accept(person=person, version=PledgeVersion.current(), ip="127.0.0.1", by=person.user)
    client.force_login(person.user)
    if verified and requires_two_factor(person.user):
        two_factor_verify(client, person.user)
    return person


@pytest.fixture
def login_as(client):
    """login_as(role, body=None, pledged=True, verified=True) → the Person, with `client` signed in as them.

    For a two-factor role the session is already two-factor verified unless verified=False.
    """

    def login(role, body=None, pledged=True, verified=True):
        return _login_as(client, role, body, pledged, verified)

    return login


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's admin_client, two-factor verified (the admin site requires it)."""
    from django.test import Client

    client = Client()
    client.force_login(admin_user)
    two_factor_verify(client, admin_user)
    return client


def _is_tracked(model) -> bool:
    history = getattr(model, "history", None)
    return getattr(history, "model", None) is not None and history.model is not model


@pytest.fixture(autouse=True)
def _refuse_untracked_writes(monkeypatch):
    """Fail any test in which a history-tracked model is written with update()/bulk_update()."""
    from django.db.models import QuerySet

    original_update, original_bulk_update = QuerySet.update, QuerySet.bulk_update

    def update(self, **kwargs):
        if _is_tracked(self.model):
            raise AssertionError(f"QuerySet.update() on {self.model._meta.label} bypasses history")
        return original_update(self, **kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        if _is_tracked(self.model):
            raise AssertionError(f"bulk_update() on {self.model._meta.label} bypasses history")
        return original_bulk_update(self, objs, fields, batch_size)

    monkeypatch.setattr(QuerySet, "update", update)
    monkeypatch.setattr(QuerySet, "bulk_update", bulk_update)


@pytest.fixture
def chromium(browser_type):
    """Debian's Chromium driven by Playwright (make test installs it; never `playwright install`)."""
    from tests.browser.pages import CHROMIUM, CHROMIUM_ARGS

    browser = browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
