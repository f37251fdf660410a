import importlib

import pytest
from django.urls import reverse

from registry.models import Body
from tests.permission_matrix import ANON, ROLE_BODY, ROLES
from tests.urlwalk import all_patterns

MATRIX_MODULES = [
    "registry.tests.url_matrix",
    "audit.tests.url_matrix",
    "cases.tests.url_matrix",
    "meetings.tests.url_matrix",
    "outreach.tests.url_matrix",
    "ageo_network.tests.url_matrix",
    "accounts.tests.url_matrix",
]


def merged_matrix() -> dict:
    merged = {}
    for module_name in MATRIX_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        overlap = set(merged) & set(module.MATRIX)
        assert not overlap, f"URL names declared twice: {overlap}"
        merged.update(module.MATRIX)
    return merged


MATRIX = merged_matrix()
URL_NAMES = sorted({name for name, _ in all_patterns()})


def test_every_url_pattern_has_a_matrix_row():
    missing = [name for name in URL_NAMES if name not in MATRIX]
    assert not missing, (
        f"URL patterns without a permission-matrix row (add them to <app>/tests/url_matrix.py): {missing}"
    )
    stale = [name for name in MATRIX if name not in URL_NAMES]
    assert not stale, f"matrix rows for URLs that no longer exist: {stale}"


@pytest.fixture
def world(bodies, person_factory):
    from types import SimpleNamespace

    from tests.factories.registry import make_body

    business = make_body(name="自分の事業所")
    other_business = make_body(name="よその事業所")
    return SimpleNamespace(
        hub=Body.objects.get(code="hub"),
        department=Body.objects.get(code="dept-seikatsu-shien"),
        agency=Body.objects.get(code="agency-yakuzaishikai"),
        business=business,
        other_business=other_business,
        people={},
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", URL_NAMES)
def test_matrix(client, login_as, world, name, role):
    row = MATRIX.get(name)
    if row is None:
        pytest.fail(f"no matrix row for {name}")
    if role != ANON:
        code = ROLE_BODY[role]
        body = world.business if code is None else Body.objects.get(code=code)
        world.people[role] = login_as(role, body=body)
    world.role = role
    kwargs = row.kwargs(world) if row.kwargs else {}
    url = reverse(name, kwargs=kwargs)
    data = row.data(world) if row.data else {}
    response = getattr(client, row.method)(url, data)
    expected = row.expected(role)
    assert response.status_code == expected, f"{name} as {role}: {response.status_code}, expected {expected}"
    if expected == 302 and role == ANON:
        assert response["Location"].startswith(reverse("login"))
