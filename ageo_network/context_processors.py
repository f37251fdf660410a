from cases.access import case_nav_items
from registry.roles import role_of


def navigation(request):
    """Menu entries the signed-in user may use; templates only display them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [("home", "ホーム")]
    if user.has_perm("registry.view_body"):
        items.append(("registry:body_list", "構成機関"))
    elif role_of(user) == "business_member":
        items.append(("registry:business_home", "自事業所"))
    elif role_of(user) is not None:
        items.append(("registry:body_list", "自機関"))
    if user.has_perm("registry.view_application"):
        items.append(("registry:application_list", "登録申請"))
    items.extend(case_nav_items(user))
    if user.has_perm("audit.view_case_audit") or user.has_perm("audit.view_registry_audit"):
        items.append(("audit:accesslog_list", "監査"))
    return {"nav_items": items, "nav_admin": user.is_staff}
