from audit.access import audit_scopes
from cases.access import case_nav_items
from meetings.access import nav_items as meeting_nav_items
from outreach.access import nav_items as outreach_nav_items
from registry.access import can_review_applications, can_see_all_bodies
from registry.models import Person
from registry.roles import HUB_ROLES, ROSTER_ROLES, has_role, role_of
from reports.access import nav_items as report_nav_items


def navigation(request):
    """Menu entries the signed-in user may use; templates only display them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [("home", "ホーム")]
    if can_see_all_bodies(user):
        items.append(("registry:body_list", "構成機関"))
    elif role_of(user) == Person.Role.BUSINESS_MEMBER:
        items.append(("registry:business_home", "自事業所"))
    elif role_of(user) is not None:
        items.append(("registry:body_list", "自機関"))
    if can_review_applications(user):
        items.append(("registry:application_list", "登録申請"))
    items.extend(case_nav_items(user))
    items.extend(meeting_nav_items(user))
    items.extend(outreach_nav_items(user))
    items.extend(report_nav_items(user))
    scopes = audit_scopes(user)
    if scopes:
        items.append(("audit:accesslog_list", "監査"))
    # Long exports (roster PDF, audit CSV, a long case summary) are fetched from "my downloads" when ready.
    if scopes or has_role(user, ROSTER_ROLES | HUB_ROLES):
        items.append(("audit:download_list", "ダウンロード"))
    return {"nav_items": items, "nav_admin": user.is_staff}
