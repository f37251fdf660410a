"""Every email the case work sends: one function per message, with its template and context.

A case email carries the case number (or the receipt number) and a link, never case content;
each person gets a message of their own (ageo_network.mail). `people` are registry Persons.
"""

from collections.abc import Iterable

from django.urls import reverse

from ageo_network.mail import absolute_url, send_templated
from cases.models import Case, Information, Referral


def _addresses(people: Iterable) -> list[str]:
    return [person.user.email for person in people]


def _about_case(name: str, case: Case, people: Iterable) -> int:
    return send_templated(
        name, to=_addresses(people), context={"number": case.number, "url": absolute_url(case.get_absolute_url())}
    )


def information_received(item: Information, people: Iterable) -> int:
    """To the hub: new information in the intake queue (its receipt number only)."""
    return send_templated(
        "case_information_received",
        to=_addresses(people),
        context={"receipt_number": item.receipt_number, "url": absolute_url(reverse("cases:intake_queue"))},
    )


def case_assigned(case: Case, people: Iterable) -> int:
    return _about_case("case_assigned", case, people)


def closure_requested(case: Case, people: Iterable) -> int:
    return _about_case("case_closure_requested", case, people)


def referral_received(referral: Referral, people: Iterable) -> int:
    """To the receiving body's staff: the link is to the referral packet, not the case."""
    return send_templated(
        "case_referral_received",
        to=_addresses(people),
        context={"number": referral.case.number, "url": absolute_url(referral.get_absolute_url())},
    )


def referral_returned(referral: Referral, people: Iterable) -> int:
    return _about_case("case_referral_returned", referral.case, people)


def protection_expiring(case: Case, people: Iterable) -> int:
    return _about_case("case_protection_expiring", case, people)


def follow_up_due(case: Case, people: Iterable) -> int:
    return _about_case("case_follow_up_due", case, people)
