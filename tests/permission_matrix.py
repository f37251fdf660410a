"""The permission matrix: every URL pattern × every role → the expected status.

Each app declares its rows in `<app>/tests/url_matrix.py` as MATRIX = {url_name: Row(...)}.
tests/test_permission_matrix.py merges them and fails closed: a URL pattern
with no row fails the suite. Every new app inherits the rules it checks for every row:
the status per role; the access-log row for the outcome the user got (docs/access.md);
405 for a method the view does not declare; 404 with a denied row for an unknown id.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

ANON = "anonymous"
SECRETARIAT = "secretariat"
HUB = "hub_worker"
SUPERVISOR = "hub_supervisor"
DEPARTMENT = "department_staff"
AGENCY = "agency_staff"
BUSINESS = "business_member"
SYSADMIN = "sysadmin"
ROLES = [ANON, SECRETARIAT, HUB, SUPERVISOR, DEPARTMENT, AGENCY, BUSINESS, SYSADMIN]
MEMBERS = ROLES[1:]
# URL namespaces whose every allowed page is a read of (or an action on) confidential data.
CONFIDENTIAL_NAMESPACES = {"cases", "audit"}

# The body each role's test person belongs to (fixture codes; None: the world's own business).
ROLE_BODY = {
    SECRETARIAT: "dept-jinken-danjo",
    HUB: "hub",
    SUPERVISOR: "hub",
    DEPARTMENT: "dept-seikatsu-shien",
    AGENCY: "agency-yakuzaishikai",
    BUSINESS: None,
    SYSADMIN: "dept-jinken-danjo",
}


@dataclass
class Row:
    """Expected status per role. `ok` roles get `ok_status`, every other member gets `other`,
    anonymous gets a redirect to the login page unless the page is public."""

    ok: list[str]
    other: int = 403
    ok_status: int = 200
    public: bool = False
    method: str = "get"
    kwargs: Callable[[SimpleNamespace], dict] | None = None
    data: Callable[[SimpleNamespace], dict] | None = None
    overrides: dict[str, int] = field(default_factory=dict)
    # Whether an allowed request must leave an access-log row (a read of confidential data, or an action
    # on it). None: yes for the confidential apps (CONFIDENTIAL_NAMESPACES), no elsewhere.
    logged: bool | None = None

    def must_log(self, name: str) -> bool:
        if self.logged is not None:
            return self.logged
        return name.split(":")[0] in CONFIDENTIAL_NAMESPACES

    def expected(self, role: str) -> int:
        if role in self.overrides:
            return self.overrides[role]
        if role == ANON and not self.public:
            return 302
        if role in self.ok or (role == ANON and self.public):
            return self.ok_status
        return self.other


def make_world() -> SimpleNamespace:
    """The objects every row's kwargs/data builders may use (needs the 26 bodies loaded)."""
    from registry.models import Body
    from tests.factories.registry import make_body

    return SimpleNamespace(
        hub=Body.objects.get(code="hub"),
        department=Body.objects.get(code="dept-seikatsu-shien"),
        agency=Body.objects.get(code="agency-yakuzaishikai"),
        business=make_body(name="自分の事業所"),
        other_business=make_body(name="よその事業所"),
        people={},
    )


WORLD_BASE = ("hub", "department", "agency", "business", "other_business", "people", "role")


def fresh_world(world: SimpleNamespace) -> SimpleNamespace:
    """The same bodies and signed-in people without what earlier kwargs builders added (a meeting already
    circulated, a case already opened): each row's builder expects to build its objects once."""
    return SimpleNamespace(**{key: getattr(world, key) for key in WORLD_BASE if hasattr(world, key)})
