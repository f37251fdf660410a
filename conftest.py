"""Test-only settings and shared fixtures.

The suite runs with DEBUG off (production code paths) against PostgreSQL.
"""

import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Plain static storage: the manifest needs collectstatic, which tests do not run.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def bodies(db):
    """The 26 constituent bodies of the fixtures."""
    from django.core.management import call_command

    from registry.models import Body

    call_command("loaddata", "bodies", verbosity=0)
    return Body.objects.all()


@pytest.fixture
def person_factory(db):
    from registry.factories import make_person

    return make_person


def _login_as(client, role, body=None, pledged=True):
    from registry import services
    from registry.factories import make_person
    from registry.models import PledgeVersion

    person = make_person(role=role, body=body)
    if pledged:
        services.pledge_accept(person=person, version=PledgeVersion.current(), ip="127.0.0.1", by=person.user)
    client.force_login(person.user)
    return person


@pytest.fixture
def login_as(client):
    """login_as(role, body=None, pledged=True) → the Person, with `client` signed in as them."""

    def login(role, body=None, pledged=True):
        return _login_as(client, role, body, pledged)

    return login


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
