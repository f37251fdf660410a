"""The network's roles: who a person is in the network today, and what each role may do.

One gate for every page: `has_role(user, ROLE_SET)` with a role set of this module, answered from
`current_person(user)` (so a person who has left, or whose body has left, holds no role at all).
The role sets of the registry and the audit screens are derived from ROLE_PERMISSIONS, so that
table stays the one source; the Django groups mirror it (a post_migrate hook) for the admin site,
and a person's role changes only through `registry.services.person_role_change`, which moves the
group too. The README's role table is generated from ROLE_SUMMARY and a test compares the two.
"""

import datetime

from django.utils import timezone

from registry.models import Person

Role = Person.Role

# What each role may do, as app_label.codename permissions.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.SECRETARIAT: [
        "registry.view_body",
        "registry.add_body",
        "registry.change_body",
        "registry.view_person",
        "registry.add_person",
        "registry.change_person",
        "registry.view_roster",
        "registry.view_application",
        "registry.change_application",
        "audit.view_registry_audit",
    ],
    Role.HUB_WORKER: [
        "registry.view_body",
        "registry.view_roster",
    ],
    Role.HUB_SUPERVISOR: [
        "registry.view_body",
        "registry.view_roster",
        "audit.view_case_audit",
    ],
    Role.DEPARTMENT_STAFF: [
        "registry.view_body",
    ],
    Role.AGENCY_STAFF: [
        "registry.view_body",
    ],
    Role.BUSINESS_MEMBER: [],
    Role.SYSADMIN: [
        "registry.view_body",
        "registry.view_person",
        # Sign-in support in the admin: remove a lost phone's devices, lift a lockout early.
        "otp_totp.view_totpdevice",
        "otp_totp.delete_totpdevice",
        "otp_static.view_staticdevice",
        "otp_static.delete_staticdevice",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        # Meetings in the admin: metadata only (meetings/admin.py).
        "meetings.view_meeting",
        "meetings.view_invitation",
        "meetings.view_minutes",
    ],
}

# The README's role table: (role, who, what they see).
ROLE_SUMMARY: list[tuple[str, str, str]] = [
    (
        Role.SECRETARIAT,
        "人権男女共同参画課でネットワークを運営する職員",
        "名簿・申請・会議・啓発、非ケース記録の監査。ケースの内容は見ない",
    ),
    (Role.HUB_WORKER, "センターの女性相談支援員", "担当するケースと受付キュー"),
    (Role.HUB_SUPERVISOR, "センターの統括者", "全ケース、担当割当、承認、アクセスログ"),
    (Role.DEPARTMENT_STAFF, "14部署のいずれかの職員", "自部署に依頼されたものと招集された会議だけ"),
    (Role.AGENCY_STAFF, "11関係機関のいずれかの職員", "自機関に依頼されたものと招集された会議だけ"),
    (
        Role.BUSINESS_MEMBER,
        "登録事業所の連絡担当者",
        "自事業所のページ・啓発物・行事。ハブへの情報提供はできるがケースは読めない",
    ),
    (Role.SYSADMIN, "IT担当職員", "名簿・会議・啓発の管理画面。ケースはメタデータのみ"),
]


def roles_with(permission: str) -> frozenset[str]:
    """The roles whose row of ROLE_PERMISSIONS holds `permission` (app_label.codename)."""
    return frozenset(role for role, perms in ROLE_PERMISSIONS.items() if permission in perms)


# --- role sets: every page gate names one of these --------------------------------------------------------
ALL_ROLES = frozenset(Role.values)
HUB_ROLES = frozenset({Role.HUB_WORKER, Role.HUB_SUPERVISOR})
SUPERVISOR_ROLES = frozenset({Role.HUB_SUPERVISOR})
BREAK_GLASS_ROLES = frozenset({Role.HUB_WORKER})
REFERRAL_ROLES = frozenset({Role.DEPARTMENT_STAFF, Role.AGENCY_STAFF})
# Never see case content, in any scope, whatever a basis provider says.
NO_CASE_ROLES = frozenset({Role.SECRETARIAT, Role.BUSINESS_MEMBER, Role.SYSADMIN})
BUSINESS_ROLES = frozenset({Role.BUSINESS_MEMBER})
SECRETARIAT_ROLES = frozenset({Role.SECRETARIAT})
# Every role that can see a woman's personal data, or administer the system, signs in with a second factor.
TWO_FACTOR_ROLES = ALL_ROLES - BUSINESS_ROLES
ALL_BODIES_ROLES = roles_with("registry.view_body")
BODY_EDITOR_ROLES = roles_with("registry.change_body")
PEOPLE_ROLES = roles_with("registry.view_person")
ROSTER_ROLES = roles_with("registry.view_roster")
APPLICATION_REVIEWER_ROLES = roles_with("registry.view_application")
APPLICATION_DECIDER_ROLES = roles_with("registry.change_application")
CASE_AUDITOR_ROLES = roles_with("audit.view_case_audit")
# Meetings (要綱 Art. 7–9): the secretariat organises Art. 7/8, the hub Art. 9; everyone but the system
# administrator can be invited (the administrator sees meetings in the admin only).
MEETING_ORGANISER_ROLES = frozenset({Role.SECRETARIAT})
CASE_MEETING_ORGANISER_ROLES = HUB_ROLES
MEETING_ROLES = ALL_ROLES - {Role.SYSADMIN}
NETWORK_AUDITOR_ROLES = roles_with("audit.view_registry_audit")
# Outreach: the secretariat keeps the catalogue, the stock and the events; every member reads them.
OUTREACH_MANAGER_ROLES = frozenset({Role.SECRETARIAT})
# Reports (issue 14): the network's figures to the secretariat and the hub supervisor; the case figures
# to the supervisor only.
NETWORK_REPORT_ROLES = frozenset({Role.SECRETARIAT, Role.HUB_SUPERVISOR})


# The roles a person of each kind of body may hold (the secretariat and the system administrators work in
# 人権男女共同参画課, a city department).
ROLES_BY_BODY_KIND: dict[str, list[str]] = {
    "hub": [Role.HUB_WORKER, Role.HUB_SUPERVISOR],
    "department": [Role.DEPARTMENT_STAFF, Role.SECRETARIAT, Role.SYSADMIN],
    "agency": [Role.AGENCY_STAFF],
    "business": [Role.BUSINESS_MEMBER],
}


def group_name(role: str) -> str:
    return f"role:{role}"


def current_person(user, on: datetime.date | None = None) -> Person | None:
    """The one answer to "who is this person in the network today?": their Person while it is current
    (Person.is_current_on), else None — anonymous, no person, deactivated, left, or body left."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        person = user.person  # loaded with its body by registry.middleware.MembershipMiddleware
    except Person.DoesNotExist:
        return None
    if not person.is_current_on(on or timezone.localdate()):
        return None
    return person


def role_of(user) -> str | None:
    """The network role of a signed-in user while their membership is current, else None."""
    person = current_person(user)
    return person.role if person is not None else None


def has_role(user, roles: frozenset[str]) -> bool:
    """The role gate of every page: the user's current role is in `roles`."""
    return role_of(user) in roles


def render_role_table() -> str:
    """The README's role table (Markdown), generated from ROLE_SUMMARY."""
    lines = ["| role | 役割 | who | sees |", "| --- | --- | --- | --- |"]
    for role, who, sees in ROLE_SUMMARY:
        lines.append(f"| `{role}` | {Role(role).label} | {who} | {sees} |")
    return "\n".join(lines)
