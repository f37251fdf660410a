import importlib
import uuid

import pytest
from django.urls import reverse

from audit.models import AccessLog
from registry.models import Body
from tests.permission_matrix import ANON, ROLE_BODY, ROLES, SECRETARIAT, make_world
from tests.urlwalk import all_patterns, id_kwargs

MATRIX_MODULES = [
    "registry.tests.url_matrix",
    "audit.tests.url_matrix",
    "cases.tests.url_matrix",
    "meetings.tests.url_matrix",
    "outreach.tests.url_matrix",
    "reports.tests.url_matrix",
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
    return make_world()


def _sign_in(login_as, world, role):
    if role != ANON:
        code = ROLE_BODY[role]
        body = world.business if code is None else Body.objects.get(code=code)
        world.people[role] = login_as(role, body=body)
    world.role = role


def _rows_since(last_id):
    rows = AccessLog.objects.filter(id__gt=last_id)
    return rows.filter(outcome="allowed").count(), rows.filter(outcome="denied").count()


def _last_log_id() -> int:
    return AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", URL_NAMES)
def test_matrix(client, login_as, world, name, role):
    """The status per role, and the access-log row for the outcome the user actually got."""
    row = MATRIX.get(name)
    if row is None:
        pytest.fail(f"no matrix row for {name}")
    _sign_in(login_as, world, role)
    kwargs = row.kwargs(world) if row.kwargs else {}
    url = reverse(name, kwargs=kwargs)
    data = row.data(world) if row.data else {}
    before = _last_log_id()
    response = getattr(client, row.method)(url, data)
    expected = row.expected(role)
    assert response.status_code == expected, f"{name} as {role}: {response.status_code}, expected {expected}"
    if expected == 302 and role == ANON:
        assert response["Location"].startswith(reverse("login"))
        return
    allowed, denied = _rows_since(before)
    if response.status_code in (403, 404):
        assert denied >= 1, f"{name} as {role}: refused with {response.status_code} but no denied access-log row"
        assert allowed == 0, f"{name} as {role}: refused, yet an allowed access-log row was written"
    elif response.status_code < 400 and row.must_log(name):
        assert allowed >= 1, f"{name} as {role}: a confidential page answered without an access-log row"
        assert denied == 0, f"{name} as {role}: allowed, yet a denied access-log row was written"
    if allowed or denied:
        assert "no-store" in response.get("Cache-Control", ""), f"{name} as {role}: a logged page may be cached"


def _a_permitted_role(row) -> str:
    return next((r for r in row.ok if r != ANON), SECRETARIAT)


@pytest.mark.django_db
@pytest.mark.parametrize("name", URL_NAMES)
def test_every_view_declares_its_methods(client, login_as, world, name):
    """A method the view does not declare is 405 with an Allow header, for every URL (and for new apps)."""
    row = MATRIX[name]
    _sign_in(login_as, world, _a_permitted_role(row))
    kwargs = row.kwargs(world) if row.kwargs else {}
    response = client.generic("PUT", reverse(name, kwargs=kwargs))
    assert response.status_code == 405, f"{name}: PUT answered {response.status_code}"
    allowed = {m.strip() for m in response["Allow"].split(",")}
    assert allowed <= {"GET", "HEAD", "POST", "OPTIONS"}, f"{name}: {allowed}"
    if row.ok or row.other != 405:  # (logout: the matrix checks that its GET is refused)
        assert row.method.upper() in allowed, f"{name}: the matrix method {row.method} is not allowed ({allowed})"


ID_URL_NAMES = sorted(name for name in URL_NAMES if id_kwargs(name, uuid.uuid4()))


@pytest.mark.django_db
@pytest.mark.parametrize("name", ID_URL_NAMES)
def test_unknown_id_is_404_and_logged(client, login_as, world, name):
    """An id that names nothing is 404 with a denied row, for the role that may use the page."""
    row = MATRIX[name]
    _sign_in(login_as, world, _a_permitted_role(row))
    missing = uuid.uuid4()
    before = _last_log_id()
    response = getattr(client, row.method)(reverse(name, kwargs=id_kwargs(name, missing)))
    assert response.status_code == 404, f"{name}: {response.status_code}"
    allowed, denied = _rows_since(before)
    assert (allowed, denied) == (0, 1), f"{name}: {allowed} allowed and {denied} denied rows"
