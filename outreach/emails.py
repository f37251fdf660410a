"""Every email the outreach app sends: one function per message, with its template and context.

Services call these inside their transaction; the message is queued on commit and sent by the
worker, one message per address (ageo_network.mail). Mail to the secretariat carries a link and a
number; mail to a public registrant only what they typed themself and the event.
"""

import datetime

from django.urls import reverse

from ageo_network.mail import absolute_url, send_templated
from ageo_network.wareki import fiscal_year_label
from outreach.models import Material, Post, PostReport, Registration, RestockRequest
from registry.emails import secretariat_addresses
from registry.models import Body, Person


def low_stock(material: Material) -> int:
    return send_templated(
        "outreach_low_stock",
        to=secretariat_addresses(),
        context={
            "material": str(material),
            "stock": material.stock,
            "threshold": material.low_stock_threshold,
            "url": absolute_url(reverse("outreach:material_detail", args=[material.pk])),
        },
    )


def restock_requested(request: RestockRequest) -> int:
    return send_templated(
        "outreach_restock_requested",
        to=secretariat_addresses(),
        context={
            "level": request.get_level_display(),
            "material": str(request.placement.material),
            "url": absolute_url(reverse("outreach:restock_list")),
        },
    )


def _registration_context(registration: Registration) -> dict:
    event = registration.event
    return {
        "name": registration.name,
        "event": event,
        "waiting": registration.status == Registration.Status.WAITING,
        "cancel_url": absolute_url(reverse("outreach:public_cancel", args=[registration.cancel_token])),
    }


def registration_received(registration: Registration) -> int:
    return send_templated(
        "outreach_registration_received", to=[registration.email], context=_registration_context(registration)
    )


def registration_promoted(registration: Registration) -> int:
    return send_templated(
        "outreach_registration_promoted", to=[registration.email], context=_registration_context(registration)
    )


def registration_waitlisted(registration: Registration) -> int:
    """The capacity was lowered: a confirmed place became a place on the waiting list."""
    return send_templated(
        "outreach_registration_waitlisted", to=[registration.email], context=_registration_context(registration)
    )


def event_cancelled(registration: Registration) -> int:
    return send_templated(
        "outreach_event_cancelled", to=[registration.email], context=_registration_context(registration)
    )


def post_reported(report: PostReport) -> int:
    return send_templated(
        "outreach_post_reported",
        to=secretariat_addresses(),
        context={"url": absolute_url(reverse("outreach:post_detail", args=[report.post.uuid]))},
    )


def bulletin_digest(body: Body, posts: list[Post]) -> int:
    """Titles and links only: the text of a post stays on the site."""
    people = Person.objects.current().filter(body=body).exclude(user__email="")
    return send_templated(
        "outreach_bulletin_digest",
        to=people.values_list("user__email", flat=True),
        context={
            "posts": [(post.get_category_display(), post.title) for post in posts],
            "url": absolute_url(reverse("outreach:post_list")),
            "settings_url": absolute_url(reverse("outreach:digest_choice")),
        },
    )


def activity_report_reminder(body: Body, fiscal_year: int) -> int:
    people = Person.objects.current().filter(body=body).exclude(user__email="")
    return send_templated(
        "outreach_activity_report_reminder",
        to=people.values_list("user__email", flat=True),
        context={
            "fiscal_year": fiscal_year_label(datetime.date(fiscal_year, 4, 1)),
            "url": absolute_url(reverse("outreach:activity_report_edit")),
        },
    )
