import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from registry.models import Person
from registry.roles import ROLE_PERMISSIONS, ROLE_SUMMARY, group_name, render_role_table


def test_every_role_is_described_and_has_permissions_listed():
    assert [role for role, _, _ in ROLE_SUMMARY] == list(Person.Role.values)
    assert set(ROLE_PERMISSIONS) == set(Person.Role.values)


def test_the_readme_role_table_is_the_generated_one():
    readme = (settings.BASE_DIR / "README.md").read_text()
    match = re.search(r"<!-- roles:start -->\n(.*?)\n<!-- roles:end -->", readme, re.S)
    assert match, "README.md lacks the role table markers"
    assert match.group(1).strip() == render_role_table(), (
        "README role table is stale: paste `python -c 'from registry.roles import render_role_table as r; print(r())'` "
        "(after django.setup) between the markers"
    )


@pytest.mark.django_db
def test_migrate_creates_one_group_per_role_with_exactly_its_permissions():
    for role, perms in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=group_name(role))
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert held == set(perms), role


def test_no_role_outside_the_hub_may_view_cases():
    for role in (
        Person.Role.SECRETARIAT,
        Person.Role.DEPARTMENT_STAFF,
        Person.Role.AGENCY_STAFF,
        Person.Role.BUSINESS_MEMBER,
    ):
        assert "cases.view_case" not in ROLE_PERMISSIONS[role], role
