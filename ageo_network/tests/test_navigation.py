import pytest
from django.urls import reverse

from registry.models import Person

Role = Person.Role


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        (Role.SECRETARIAT, True),
        (Role.HUB_WORKER, True),
        (Role.HUB_SUPERVISOR, True),
        (Role.DEPARTMENT_STAFF, False),
        (Role.BUSINESS_MEMBER, False),
    ],
)
def test_my_downloads_is_in_the_menu_of_those_who_make_long_exports(client, login_as, hub, seikatsu, role, shown):
    body = {Role.HUB_WORKER: hub, Role.HUB_SUPERVISOR: hub, Role.DEPARTMENT_STAFF: seikatsu}.get(role)
    login_as(role, body=body)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    names = [name for name, _ in response.context["nav_items"]]
    assert ("audit:download_list" in names) is shown
