"""Events: the secretariat's pages, members' registration, attendance, certificates, the gatekeeper roster,
and the public form."""

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from ageo_network.holidays import closed_day_reason
from ageo_network.wareki import fiscal_year
from audit.downloads import download_response
from audit.models import AccessLog
from outreach import access, selectors, services
from outreach.documents import (
    attendance_xlsx_document,
    certificate_pdf_document,
    gatekeeper_roster_xlsx_document,
)
from outreach.forms import (
    EventForm,
    MemberRegistrationForm,
    PublicRegistrationForm,
)
from outreach.models import (
    Event,
    Registration,
    campaign_period,
)
from registry.access import rate_limited
from registry.forms import signup_started_token

logger = logging.getLogger("outreach")
NETWORK_SIDE = AccessLog.Scope.NETWORK
PUBLIC_RATE = (20, 3600)  # POSTs per IP per hour; override with settings.OUTREACH_PUBLIC_RATE_LIMIT
PUBLIC_DONE_KEY = "outreach_public_registration"


# --- events ----------------------------------------------------------------------------------------------------


@require_GET
def event_list(request):
    """Upcoming events (or this 年度's, or the campaign period 11/12–11/25) with their registrations."""
    events = selectors.events_with_counts(access.visible_events(request.user))
    today = timezone.localdate()
    view = request.GET.get("view", "upcoming")
    if view == "campaign":
        events = selectors.campaign_events(events, today.year)
    elif view == "year":
        year = fiscal_year(today)
        events = events.filter(starts_at__date__gte=f"{year}-04-01", starts_at__date__lt=f"{year + 1}-04-01")
    else:
        view = "upcoming"
        events = events.filter(ends_at__gte=timezone.now())
    events = list(events.order_by("starts_at"))
    context = {
        "events": events,
        "view": view,
        "campaign_year": today.year,
        "can_manage": access.can_manage(request.user),
    }
    return render(request, "outreach/event_list.html", context)


@require_http_methods(["GET", "POST"])
def event_create(request):
    access.require_manager(request, object_type="outreach.event")
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(data=form.event_data(), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"行事「{event.title}」を登録しました。")
            reason = closed_day_reason(event.day)
            if reason:
                messages.warning(
                    request, f"開催日は市役所の閉庁日（{reason}）です。会場と職員の手配を確認してください。"
                )
            return redirect("outreach:event_detail", uuid=event.uuid)
    return render(request, "outreach/event_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def event_update(request, uuid):
    event = access.get_rw_event_for_user(request, uuid)
    form = EventForm(request.POST or None, instance=Event.objects.get(pk=event.pk))
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.event_update(event=event, data=form.event_data(), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "行事を更新しました。")
            if updated.moved_to_waiting:
                messages.warning(
                    request,
                    f"定員を減らしたため、最後に申し込んだ{len(updated.moved_to_waiting)}人をキャンセル待ちに戻しました"
                    "（一般の申込者にはメールで知らせます）。",
                )
            return redirect("outreach:event_detail", uuid=event.uuid)
    return render(request, "outreach/event_form.html", {"form": form, "event": event})


@require_http_methods(["GET", "POST"])
def event_cancel(request, uuid):
    """The confirmation page (how many people are told, and how), then the cancellation."""
    event = access.get_rw_event_for_user(request, uuid)
    if request.method == "POST":
        try:
            services.event_cancel(event=event, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"行事「{event.title}」を中止にしました。")
        return redirect("outreach:event_detail", uuid=event.uuid)
    counts = selectors.active_registrant_counts(event)
    context = {"event": event, "members": counts["members"], "public": counts["public"]}
    return render(request, "outreach/event_cancel.html", context)


@require_GET
def event_detail(request, uuid):
    """The event; the secretariat sees every registrant (the read is logged by the helper), a member
    the people of their own body."""
    event = access.get_event_for_user(request, uuid)
    registrations = list(
        access.visible_registrations(request.user).filter(event=event).order_by("status", "registered_at", "id")
    )
    counts = selectors.events_with_counts(Event.objects.filter(pk=event.pk)).get()
    context = {
        "event": event,
        "registrations": registrations,
        "registered": counts.registered,
        "waiting": counts.waiting,
        "attended": counts.attended,
        "can_manage": access.can_manage(request.user),
        "can_register": not event.is_cancelled and event.starts_at > timezone.now(),
        "can_cancel": access.can_manage(request.user) and not event.is_cancelled and event.starts_at > timezone.now(),
        "form": MemberRegistrationForm(body=access.own_body(request.user)),
        "closed_reason": closed_day_reason(event.day),
        "meeting_link": access.can_open_meeting(request.user, event),
    }
    return render(request, "outreach/event_detail.html", context)


@require_POST
def event_register(request, uuid):
    """A member registers a person of their own body (from the list of its current people, or by name)."""
    body = access.require_member_body(request, object_type="outreach.registration")
    event = access.get_event_for_user(request, uuid)
    form = MemberRegistrationForm(request.POST, body=body)
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect("outreach:event_detail", uuid=event.uuid)
    try:
        registration = services.registration_create_member(
            event=event,
            body=body,
            person=form.cleaned_data["person"],
            name=form.cleaned_data["name"],
            name_kana=form.cleaned_data["name_kana"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if registration.status == Registration.Status.WAITING:
            messages.warning(
                request, f"{registration.name} さんを申し込みました。定員に達しているため、キャンセル待ちです。"
            )
        else:
            messages.success(request, f"{registration.name} さんを申し込みました。")
    return redirect("outreach:event_detail", uuid=event.uuid)


@require_http_methods(["GET", "POST"])
def event_attendance(request, uuid):
    event = access.get_rw_event_for_user(request, uuid)
    if event.is_cancelled:
        messages.error(request, "中止になった行事の出欠は記録できません。")
        return redirect("outreach:event_detail", uuid=event.uuid)
    registrations = list(
        event.registrations.filter(status=Registration.Status.REGISTERED)
        .select_related("body")
        .order_by("name_kana", "id")
    )
    if request.method == "POST":
        ids = {int(value) for value in request.POST.getlist("attended") if value.isdigit()}
        try:
            services.attendance_record(event=event, attended_ids=ids, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "出欠を記録しました。")
        return redirect("outreach:event_detail", uuid=event.uuid)
    return render(request, "outreach/event_attendance.html", {"event": event, "registrations": registrations})


@require_GET
def event_attendance_xlsx(request, uuid):
    event = access.get_rw_event_for_user(request, uuid, action=AccessLog.Action.EXPORT)
    registrations = event.registrations.exclude(status=Registration.Status.CANCELLED).select_related("body")
    document = attendance_xlsx_document(event, registrations.order_by("status", "name_kana", "id"))
    return download_response(request, document, log=False)


@require_POST
def registration_cancel(request, uuid):
    registration = access.get_registration_for_user(request, uuid)
    services.registration_cancel(registration=registration, by=request.user)
    messages.success(request, "申込を取り消しました。")
    return redirect("outreach:event_detail", uuid=registration.event.uuid)


@require_GET
def certificate_pdf(request, uuid):
    registration = access.get_certificate_for_user(request, uuid)
    if not registration.certificate_serial:  # no certificate: the helper wrote no allowed row
        messages.error(request, "修了証は、ゲートキーパー研修に出席した人にだけ発行できます。")
        return redirect("outreach:event_detail", uuid=registration.event.uuid)
    return download_response(request, certificate_pdf_document(registration), log=False)


@require_GET
def gatekeeper_roster(request):
    """Who was trained, per body, when, and when the refresher is due. Personal data: the read is logged."""
    access.require_member_body(request, object_type="outreach.gatekeeper", action=AccessLog.Action.LIST)
    rows = selectors.gatekeeper_rows(access.visible_registrations(request.user), today=timezone.localdate())
    access.log_list(request, object_type="outreach.gatekeeper")
    return render(
        request,
        "outreach/gatekeeper_roster.html",
        {
            "rows": rows,
            "can_manage": access.can_manage(request.user),
            "refresher_years": settings.OUTREACH_GATEKEEPER_REFRESHER_YEARS,
        },
    )


@require_GET
def gatekeeper_roster_xlsx(request):
    access.require_member_body(request, object_type="outreach.gatekeeper", action=AccessLog.Action.EXPORT)
    rows = selectors.gatekeepers(access.visible_registrations(request.user))
    return download_response(
        request,
        gatekeeper_roster_xlsx_document(rows, today=timezone.localdate()),
        action=AccessLog.Action.EXPORT,
        scope=NETWORK_SIDE,
        object_type="outreach.gatekeeper",
        basis=AccessLog.Basis.ROLE,
    )


# --- the public event form (no sign-in) ------------------------------------------------------------------------

EXPIRED_FORM_MESSAGE = "入力を始めてから時間が経ちすぎました。内容を確認して、もう一度送信してください。"


def _bounce_if_automated(request, form):
    """The business signup's defences (registry.forms.BotDefenceMixin): a bot gets the normal thank-you page
    and nothing is stored; a person with an expired form is asked again."""
    if form.looks_automated():
        logger.info("public event form dropped as automated")
        request.session.pop(PUBLIC_DONE_KEY, None)
        return redirect("outreach:public_done")
    if form.token_expired():
        form.data = form.data.copy()
        form.data["started"] = signup_started_token(time.time() - getattr(settings, "SIGNUP_MIN_FILL_SECONDS", 5))
        form.add_error(None, EXPIRED_FORM_MESSAGE)
    return None


@login_not_required
@rate_limited("outreach-public", setting="OUTREACH_PUBLIC_RATE_LIMIT", default=PUBLIC_RATE)
@require_http_methods(["GET", "HEAD", "POST"])
def public_register(request, uuid):
    event = access.get_public_event(request, uuid)
    form = PublicRegistrationForm(request.POST or None)
    closed = event.is_cancelled or event.starts_at <= timezone.now()
    if request.method == "POST" and not closed:
        bounce = _bounce_if_automated(request, form)
        if bounce is not None:
            return bounce
        if form.is_valid():
            try:
                registration = services.registration_create_public(
                    event=event,
                    name=form.cleaned_data["name"],
                    name_kana=form.cleaned_data["name_kana"],
                    email=form.cleaned_data["email"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                request.session[PUBLIC_DONE_KEY] = registration.status
                return redirect("outreach:public_done")
    counts = selectors.events_with_counts(Event.objects.filter(pk=event.pk)).get()
    context = {"event": event, "form": form, "closed": closed, "full": counts.registered >= event.capacity}
    return render(request, "outreach/public_register.html", context)


@login_not_required
@require_safe  # GET and HEAD: monitoring and link checkers ask with HEAD
def public_event_list(request):
    """Upcoming events open to the public, each linking to its form. Nothing personal: no access-log row."""
    today = timezone.localdate()
    start, end = campaign_period(today.year)
    if today > end:
        start, end = campaign_period(today.year + 1)
    context = {"events": selectors.public_upcoming_events(), "campaign_start": start, "campaign_end": end}
    return render(request, "outreach/public_event_list.html", context)


@login_not_required
@require_safe  # GET and HEAD: monitoring and link checkers ask with HEAD
def public_done(request):
    return render(request, "outreach/public_done.html", {"status": request.session.get(PUBLIC_DONE_KEY)})


@login_not_required
@rate_limited("outreach-public", setting="OUTREACH_PUBLIC_RATE_LIMIT", default=PUBLIC_RATE)
@require_http_methods(["GET", "HEAD", "POST"])
def public_cancel(request, token):
    """The cancel link of the confirmation mail: GET shows what is cancelled, POST cancels."""
    registration = Registration.objects.select_related("event").filter(cancel_token=token).first()
    if registration is None or registration.status == Registration.Status.CANCELLED:
        return render(request, "outreach/public_cancel.html", {"invalid": True})
    if request.method == "POST":
        services.registration_cancel(registration=registration)
        return render(request, "outreach/public_cancel.html", {"done": True, "event": registration.event})
    return render(request, "outreach/public_cancel.html", {"registration": registration, "event": registration.event})
