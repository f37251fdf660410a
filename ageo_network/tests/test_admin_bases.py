"""The read-only admin bases: what even a superuser may add, change or delete in the admin."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from ageo_network.admin import AppendOnlyHistoryAdmin, ReadOnlyAdmin, ReadOnlyHistoryAdmin
from ageo_network.history import HistoryAdmin

# label: (add, change, delete) for a superuser.
EXPECTED = {
    "audit.AccessLog": (False, False, False),
    "audit.SignInEvent": (False, False, False),
    "registry.PledgeVersion": (True, False, False),
    "registry.BodyPledge": (True, False, False),
    "registry.PersonPledge": (False, False, False),
    "registry.BodyActivity": (False, False, False),
    "registry.ReferenceCounter": (False, False, False),
    "cases.Case": (False, False, False),
    "cases.NumberCounter": (False, False, False),
    "cases.ConsentRecord": (False, False, False),
    "registry.Body": (True, True, True),
}


@pytest.fixture
def superuser_request(db, django_user_model):
    request = RequestFactory().get("/admin/")
    request.user = django_user_model.objects.create_superuser("root", "root@example.jp", "x" * 16)
    return request


@pytest.mark.parametrize(("label", "expected"), EXPECTED.items())
def test_admin_permissions_follow_the_base(superuser_request, label, expected):
    from django.apps import apps

    model_admin = admin.site._registry[apps.get_model(label)]
    assert (
        model_admin.has_add_permission(superuser_request),
        model_admin.has_change_permission(superuser_request),
        model_admin.has_delete_permission(superuser_request),
    ) == expected
    assert model_admin.has_view_permission(superuser_request)


def test_the_history_bases_keep_the_history_admin():
    assert issubclass(ReadOnlyHistoryAdmin, HistoryAdmin)
    assert issubclass(AppendOnlyHistoryAdmin, ReadOnlyHistoryAdmin)
    assert not issubclass(ReadOnlyAdmin, HistoryAdmin)  # for rows without a history of their own
