"""Every email the registry sends: one function per message, with its template and context.

Services call these inside their transaction; the message is queued on commit and sent by
the worker, one message per address (ageo_network.mail).
"""

from django.urls import reverse

from ageo_network.mail import absolute_url, send_templated
from registry.models import Application, Body, Person


def secretariat_addresses() -> list[str]:
    """The secretariat's staff who are in office today."""
    people = Person.objects.current().filter(role=Person.Role.SECRETARIAT).exclude(user__email="")
    return sorted(set(people.values_list("user__email", flat=True)))


def _to_secretariat(name: str, *, path: str, reference: str = "") -> int:
    return send_templated(name, to=secretariat_addresses(), context={"url": absolute_url(path), "reference": reference})


# --- to the applicant ----------------------------------------------------------------------------


def application_received(application: Application, *, revised: bool = False) -> int:
    return send_templated(
        "registry_application_received",
        to=[application.email],
        context={"reference": application.reference, "name": application.name, "revised": revised},
    )


def application_changes_requested(application: Application, *, path: str) -> int:
    """`path` is the applicant's signed revise link."""
    return send_templated(
        "registry_application_changes",
        to=[application.email],
        context={
            "reference": application.reference,
            "reason": application.decision_reason,
            "url": absolute_url(path),
        },
    )


def application_rejected(application: Application) -> int:
    return send_templated(
        "registry_application_rejected",
        to=[application.email],
        context={"reference": application.reference, "reason": application.decision_reason},
    )


def activation(user, *, path: str, reference: str, name: str) -> int:
    """A new person's one-time password-set link (`path`): a business on approval (`reference` is its
    application number), or anyone the secretariat or their business added (`reference` empty)."""
    return send_templated(
        "registry_application_approved",
        to=[user.email],
        context={"reference": reference, "name": name, "username": user.username, "url": absolute_url(path)},
    )


def password_reset(user, *, path: str) -> int:
    """A one-time link to set a new password (`path`), asked for on the login page."""
    return send_templated(
        "registry_password_reset", to=[user.email], context={"username": user.username, "url": absolute_url(path)}
    )


def annual_review_reminder(body: Body, *, year: int) -> int:
    """To every current person of a body that has not answered the 年度替わり review."""
    import datetime

    from ageo_network.wareki import fiscal_year_label

    addresses = Person.objects.current().filter(body=body).exclude(user__email="").values_list("user__email", flat=True)
    return send_templated(
        "registry_annual_review_reminder",
        to=addresses,
        context={
            "body": body.name,
            "year_label": fiscal_year_label(datetime.date(year, 4, 1)),
            "url": absolute_url(reverse("registry:annual_review_answer", args=[body.pk])),
        },
    )


# --- to the secretariat: a link and a number, nothing the sender typed --------------------------


def secretariat_application_submitted(application: Application) -> int:
    return _to_secretariat(
        "registry_application_submitted", path=application.get_absolute_url(), reference=application.reference
    )


def secretariat_body_review(body: Body) -> int:
    return _to_secretariat("registry_body_review", path=body.get_absolute_url())


def secretariat_withdrawal_requested(body: Body) -> int:
    return _to_secretariat("registry_withdrawal_requested", path=reverse("registry:body_withdraw", args=[body.pk]))


def secretariat_people_changed(body: Body) -> int:
    """A registered business added or ended a colleague."""
    return _to_secretariat("registry_people_changed", path=body.get_absolute_url())
