import pytest
from django.apps import apps
from django.contrib import admin

from ageo_network.history import HistoryAdmin

# Django's own models and models whose rows are append-only audit records (no history of their own).
NOT_HISTORY_ADMIN = {
    "audit.accesslog",
    "audit.signinevent",
    "audit.tombstone",
    "cases.purgedcasefacts",
    "cases.purgedinformationfacts",
}
# A session's key is a credential (and the admin's URL for a row is its key): sessions are never listed.
NOT_IN_ADMIN = {"accounts.usersession"}


def project_models():
    for model in apps.get_models():
        module = model.__module__.split(".")[0]
        if (
            module
            in {
                "registry",
                "audit",
                "meetings",
                "cases",
                "outreach",
                "accounts",
            }
            and not model.__name__.startswith("Historical")
            and model._meta.label_lower not in NOT_IN_ADMIN
        ):
            yield model


def test_every_project_model_is_in_the_admin_with_search_and_filters():
    missing = [m._meta.label for m in project_models() if m not in admin.site._registry]
    assert not missing, f"models not registered in the admin: {missing}"
    for model in project_models():
        model_admin = admin.site._registry[model]
        assert model_admin.search_fields, f"{model._meta.label} admin has no search_fields"
        assert model_admin.list_filter, f"{model._meta.label} admin has no list_filter"
        if model._meta.label_lower not in NOT_HISTORY_ADMIN:
            assert isinstance(model_admin, HistoryAdmin), (
                f"{model._meta.label} admin must use ageo_network.history.HistoryAdmin"
            )


def test_history_is_never_revertible_from_the_admin(settings):
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True


@pytest.mark.django_db
def test_history_form_cannot_revert_even_by_a_crafted_post(admin_client, bodies):
    from registry.models import Body

    hub = Body.objects.get(code="hub")
    hub.phone = "048-111-1111"
    hub.save(update_fields=["phone"])
    first = hub.history.earliest()
    hub.phone = "048-222-2222"
    hub.save(update_fields=["phone"])
    url = f"/admin/registry/body/{hub.pk}/history/{first.history_id}/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "復元" not in page.content.decode() and "Revert" not in page.content.decode()
    data = {f.name: getattr(first, f.attname) or "" for f in Body._meta.fields if f.name != "id"}
    data["in_city"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 403
    hub.refresh_from_db()
    assert hub.phone == "048-222-2222"


@pytest.mark.django_db
def test_the_admins_password_change_goes_through_the_logged_page(admin_client):
    from audit.models import SignInEvent

    response = admin_client.get("/admin/password_change/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/"
    new = "a-much-longer-passphrase-2026"
    done = admin_client.post(
        "/accounts/password/", {"old_password": "password", "new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    assert SignInEvent.objects.filter(kind=SignInEvent.Kind.PASSWORD_CHANGE).count() == 1
