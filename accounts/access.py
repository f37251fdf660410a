"""Who must sign in with a second factor, and which pages a person may reach before doing so."""

from django.conf import settings

from audit.models import AccessLog
from audit.services import refuse
from registry.roles import TWO_FACTOR_ROLES, has_role

# URL names an account that still owes its second factor may reach (sign-in plumbing and the 2FA pages).
TWO_FACTOR_EXEMPT_URL_NAMES = frozenset(
    {"login", "logout", "admin:logout", "accounts:otp_setup", "accounts:otp_verify"}
)


def requires_two_factor(user) -> bool:
    """True for staff and superuser accounts (the admin site) and for every role in TWO_FACTOR_ROLES."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return has_role(user, TWO_FACTOR_ROLES)


def session_limits() -> tuple[int, int]:
    """(idle, absolute) session limits in seconds for the two-factor roles."""
    return settings.SESSION_IDLE_MINUTES * 60, settings.SESSION_ABSOLUTE_HOURS * 3600


def refuse_two_factor_page(request) -> None:
    """The two-factor pages are not for an account that needs no second factor: 403, logged."""
    refuse(
        request,
        status=403,
        action=AccessLog.Action.VIEW,
        scope=AccessLog.Scope.NETWORK,
        object_type="accounts.two_factor",
    )
