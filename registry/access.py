"""Who may see which registry objects. Views fetch bodies only through here."""

import logging
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from audit.services import client_ip
from registry.models import Application, Body, Person

logger = logging.getLogger("registry.access")


def visible_bodies(user):
    """Staff of the city and agencies see every body; a business member only their own."""
    if can_see_all_bodies(user):
        return Body.objects.all()
    person = getattr(user, "person", None)
    if person is None:
        return Body.objects.none()
    return Body.objects.filter(pk=person.body_id)


def get_body_for_user(user, pk) -> Body:
    """The body, or 404 when it is outside the user's scope."""
    return get_object_or_404(visible_bodies(user), pk=pk)


def can_edit_body(user) -> bool:
    return user.has_perm("registry.change_body")


def can_see_all_bodies(user) -> bool:
    return user.has_perm("registry.view_body")


def can_view_people(user) -> bool:
    return user.has_perm("registry.view_person")


def can_view_roster(user) -> bool:
    """The staff roster, its PDF and exports."""
    return user.has_perm("registry.view_roster")


def require_roster_access(user) -> None:
    if not can_view_roster(user):
        raise PermissionDenied


def can_review_applications(user) -> bool:
    return user.has_perm("registry.view_application")


def require_application_access(user) -> None:
    if not can_review_applications(user):
        raise PermissionDenied


def get_application_for_user(user, uuid) -> Application:
    """The application, or 404 for anyone who may not see applications (existence must not leak)."""
    if not can_review_applications(user):
        raise Http404
    return get_object_or_404(Application, uuid=uuid)


def can_decide_applications(user) -> bool:
    return user.has_perm("registry.change_application")


def get_own_business(user) -> Body:
    """The registered business of a business member; any other role is refused (403)."""
    person = getattr(user, "person", None)
    if person is None or person.role != Person.Role.BUSINESS_MEMBER or person.body.kind != Body.Kind.BUSINESS:
        raise PermissionDenied
    return person.body


def rate_limited(scope: str, *, setting: str, default: tuple[int, int], methods=("POST",)):
    """Refuse more than `limit` requests per `window` seconds from one IP with a Japanese 429 page.

    The limit is read from settings.<setting> = (limit, window) at request time, so tests can tighten it.
    Counters live in the default cache (CACHE_URL).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                limit, window = getattr(settings, setting, default)
                if _count_hit(scope, client_ip(request) or "unknown", window) > limit:
                    logger.warning("rate limit %s exceeded", scope)
                    response = render(request, "registry/rate_limited.html", status=429)
                    response["Retry-After"] = str(window)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _count_hit(scope: str, ip: str, window: int) -> int:
    key = f"ratelimit:{scope}:{ip}:{int(time.time() // window)}"
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)
        return 1
