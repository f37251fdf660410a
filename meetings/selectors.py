"""Reads that are more than a filter."""

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from ageo_network.holidays import closed_day_reason
from meetings import forms
from meetings.access import MeetingGrant, minutes_visible, sheets_readable
from meetings.models import Attendee, Correction, FollowUpAction, Invitation, Meeting, Minutes
from registry.roles import MEETING_ROLES, current_person


def meeting_detail_context(grant: MeetingGrant) -> dict:
    """What the meeting page shows at the user's level, loaded in a fixed number of queries."""
    meeting = grant.meeting
    invitations = list(
        meeting.invitations.select_related("body").prefetch_related(
            Prefetch("attendees", queryset=Attendee.objects.filter(withdrawn=False).select_related("person"))
        )
    )
    context = {
        "meeting": meeting,
        "grant": grant,
        "invitations": invitations,
        "closed_day": closed_day_reason(meeting.date),
        # An Art. 9 meeting is never linked to an event (outreach.services refuses it): no query for it.
        "events": [] if meeting.is_case_review else list(meeting.events.order_by("starts_at", "id")),
    }
    if grant.metadata_only:
        return context
    minutes = meeting.minutes
    show_minutes = minutes_visible(grant)
    items = list(
        meeting.agenda_items.select_related("case")
        .prefetch_related(
            Prefetch("actions", queryset=FollowUpAction.objects.select_related("body")),
            Prefetch("corrections", queryset=Correction.objects.select_related("proposed_by")),
            "materials",
        )
        .order_by("position", "id")
    )
    attendees = list(meeting.attendees.filter(withdrawn=False).select_related("person__body").order_by("id"))
    proposed = {c.proposed_by_id for item in items for c in item.corrections.all()}
    confirmations = [
        (a, "確認済み" if a.minutes_confirmed_at else ("修正を提案" if a.person_id in proposed else "未確認"))
        for a in attendees
        if a.person_id is not None
    ]
    mine = next((a for a in attendees if a.person_id == grant.person.pk), None)
    context.update(
        {
            "confirmations": confirmations if minutes.status == Minutes.Status.CIRCULATED and grant.can_manage else [],
            "unconfirmed_count": sum(1 for a, _ in confirmations if a.minutes_confirmed_at is None),
            "my_confirmation": mine.minutes_confirmed_at if mine else None,
            "minutes": minutes,
            "show_minutes": show_minutes,
            "items": items,
            "attendees": attendees,
            "errata": list(minutes.errata.all()) if show_minutes else [],
            "circulate_form": forms.CirculateForm(),
            "correction_form": forms.CorrectionForm(),
            "decision_form": forms.CorrectionDecisionForm(),
            "erratum_form": forms.ErratumForm(),
            "plan_form": forms.DecisionPlanForm() if meeting.is_case_review and grant.can_manage else None,
            "sheets_readable": sheets_readable(grant),
            "sheet_hours": settings.MEETING_CASE_ACCESS_HOURS,
            "review_sheets": list(meeting.review_sheets.select_related("case")) if meeting.is_case_review else [],
            "duty_confirmed": meeting.duty_confirmations.filter(person=grant.person).exists(),
        }
    )
    return context


def home_panels(request) -> list[dict]:
    """Panels of this app on the user's home page: each a dict with `template` (a partial under
    templates/<app>/) and the context that partial displays. Computed here, never in the template."""
    person = current_person(request.user)
    if person is None or person.role not in MEETING_ROLES:
        return []
    today = timezone.localdate()
    invitations = list(
        Invitation.objects.filter(
            body_id=person.body_id,
            status=Invitation.Status.PENDING,
            meeting__status=Meeting.Status.PLANNED,
            meeting__date__gte=today,
        )
        .select_related("meeting")
        .order_by("meeting__date")
    )
    actions = list(
        FollowUpAction.objects.filter(body_id=person.body_id, status=FollowUpAction.Status.OPEN)
        .filter(agenda_item__meeting__minutes__status__in=[Minutes.Status.APPROVED, Minutes.Status.LOCKED])
        .select_related("agenda_item__meeting")
        .order_by("due_on")
    )
    to_confirm = list(
        Meeting.objects.filter(
            minutes__status=Minutes.Status.CIRCULATED, attendees__person=person, attendees__withdrawn=False
        ).distinct()
    )
    if not (invitations or actions or to_confirm):
        return []
    return [
        {
            "template": "meetings/_home_panel.html",
            "invitations": invitations,
            "actions": actions,
            "to_confirm": to_confirm,
            "today": today,
        }
    ]
