"""The network's roles and the Django permissions each one holds.

A migration turns this table into Django groups (one per role); a person's
account is put in the group of their role when the person is saved through
`registry.services`. The README's role table is generated from ROLE_SUMMARY
and a test compares the two.
"""

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


def group_name(role: str) -> str:
    return f"role:{role}"


def role_of(user) -> str | None:
    """The network role of a signed-in user, or None (anonymous, or an account with no person)."""
    if not getattr(user, "is_authenticated", False):
        return None
    person = getattr(user, "person", None)
    return person.role if person is not None else None


def render_role_table() -> str:
    """The README's role table (Markdown), generated from ROLE_SUMMARY."""
    lines = ["| role | 役割 | who | sees |", "| --- | --- | --- | --- |"]
    for role, who, sees in ROLE_SUMMARY:
        lines.append(f"| `{role}` | {Role(role).label} | {who} | {sees} |")
    return "\n".join(lines)
