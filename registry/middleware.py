"""Membership checks on every request of a signed-in person.

- A person who has left, or whose body has left the network, is signed out on
  their very next request (their open session included).
- A person who has not accepted the current Art. 10 pledge is sent to the
  pledge page from every member page until they accept.
"""

from django.conf import settings
from django.contrib.auth import logout
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from audit.models import SignInEvent
from audit.services import signin_event
from registry.models import Person, PersonPledge, PledgeVersion
from registry.roles import current_person

# URL names a person may reach before accepting the pledge (sign-in plumbing and the pledge itself).
PLEDGE_EXEMPT = {"login", "logout", "registry:pledge"}


def _load_person(user):
    return Person.objects.select_related("body").filter(user=user).first()


class MembershipMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            person = _load_person(user)
            if person is not None and not person.is_current_on(timezone.localdate()):
                signin_event(
                    kind=SignInEvent.Kind.ACCESS_ENDED, request=request, user=user, username=user.get_username()
                )
                logout(request)
                return redirect(settings.LOGIN_URL)
            # Cache the loaded row (with its body), or its absence (an admin account has no person), so
            # registry.roles.current_person answers from memory however often a page asks.
            Person._meta.get_field("user").remote_field.set_cached_value(user, person)
        return self.get_response(request)


def current_pledge_accepted(person: Person) -> bool | None:
    """Whether `person` accepted the newest pledge version (None: no version published), in one query."""
    accepted = PersonPledge.objects.filter(person=person, version=OuterRef("pk"))
    return (
        PledgeVersion.objects.order_by("-number")
        .annotate(accepted=Exists(accepted))
        .values_list("accepted", flat=True)
        .first()
    )


class PledgeGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        person = current_person(request.user)
        if person is not None and not request.path.startswith(settings.STATIC_URL):
            try:
                name = resolve(request.path_info).view_name
            except Resolver404:
                name = ""
            exempt = name in PLEDGE_EXEMPT or name in getattr(settings, "PLEDGE_EXEMPT_URL_NAMES", ())
            if not exempt and current_pledge_accepted(person) is False:
                return redirect(f"{reverse('registry:pledge')}?next={request.get_full_path()}")
        return self.get_response(request)
