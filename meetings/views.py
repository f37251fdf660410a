"""Meeting screens. Every meeting comes from meetings/access.py, which logs the read (or the refusal)
with the audit scope of the meeting's article and answers 404 outside scope."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from ageo_network.documents import Document
from ageo_network.holidays import closed_day_reason
from ageo_network.mail import absolute_url
from ageo_network.uploads import private_storage
from audit.downloads import download_response
from audit.models import AccessLog
from audit.services import client_ip
from cases.access import get_rw_case_for_user, visible_cases
from meetings import access, forms, selectors, services
from meetings.calendar import feed_ics
from meetings.documents import minutes_pdf_document, stored_minutes_document
from meetings.models import Meeting
from registry.roles import CASE_MEETING_ORGANISER_ROLES, MEETING_ORGANISER_ROLES, MEETING_ROLES

Action = AccessLog.Action


def _fail(request, form, error: ValidationError):
    if form is not None:
        form.add_error(None, error)
    else:
        messages.error(request, " ".join(error.messages))


def _warn_closed_day(request, meeting: Meeting) -> None:
    reason = closed_day_reason(meeting.date)
    if reason:
        messages.warning(request, f"開催日 {meeting.date:%Y-%m-%d} は閉庁日（{reason}）です。日付をご確認ください。")


# --- list, create, detail ------------------------------------------------------------------------------------


@require_GET
def meeting_list(request):
    access.require_meeting_role(request, MEETING_ROLES)
    meetings = (
        access.visible_meetings(request.user)
        .select_related("minutes")
        .annotate(invited=Count("invitations", distinct=True))
        .order_by("-date", "-start_time", "-id")
    )
    access.log_list(request, reason="会議の一覧")
    context = {"meetings": meetings, "can_organise": access.can_organise(request.user)}
    return render(request, "meetings/meeting_list.html", context)


@require_http_methods(["GET", "POST"])
def meeting_create(request):
    person = access.require_meeting_role(
        request, MEETING_ORGANISER_ROLES | CASE_MEETING_ORGANISER_ROLES, action=Action.CHANGE
    )
    kinds = services.organiser_kinds(person.role)
    form = forms.MeetingForm(request.POST or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                kind=form.cleaned_data["kind"], data=form.meeting_data(), organiser=person, by=request.user
            )
        except ValidationError as error:
            _fail(request, form, error)
        else:
            messages.success(request, f"{meeting.title} を作成しました。")
            _warn_closed_day(request, meeting)
            return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form})


@require_GET
def meeting_detail(request, uuid):
    grant = access.get_meeting_for_user(request, uuid)
    context = selectors.meeting_detail_context(grant)
    return render(request, "meetings/meeting_detail.html", context)


@require_http_methods(["GET", "POST"])
def meeting_update(request, uuid):
    grant = access.get_rw_meeting_for_user(request, uuid)
    form = forms.MeetingForm(request.POST or None, instance=grant.meeting)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_update(meeting=grant.meeting, data=form.meeting_data(), by=request.user)
        except ValidationError as error:
            _fail(request, form, error)
        else:
            messages.success(request, "会議を変更しました。招集済みの機関には変更を通知しました。")
            _warn_closed_day(request, meeting)
            return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": grant.meeting})


@require_POST
def meeting_cancel(request, uuid):
    grant = access.get_rw_meeting_for_user(request, uuid)
    try:
        services.meeting_cancel(meeting=grant.meeting, by=request.user)
    except ValidationError as error:
        _fail(request, None, error)
    else:
        messages.success(request, "会議を中止し、招集済みの機関に通知しました。")
    return redirect(grant.meeting)


# --- invitations --------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def meeting_invite(request, uuid):
    grant = access.get_rw_meeting_for_user(request, uuid)
    meeting = grant.meeting
    initial = {"bodies": services.default_bodies(meeting).exclude(meeting_invitations__meeting=meeting)}
    form = forms.InviteForm(request.POST or None, meeting=meeting, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            invitations = services.invitations_send(
                meeting=meeting, bodies=form.cleaned_data["bodies"], by=request.user
            )
        except ValidationError as error:
            _fail(request, form, error)
        else:
            messages.success(request, f"{len(invitations)}機関に招集通知を送りました。")
            return redirect(meeting)
    return render(request, "meetings/meeting_invite.html", {"form": form, "meeting": meeting})


@require_http_methods(["GET", "POST"])
def invitation_answer(request, uuid):
    grant, invitation = access.get_invitation_for_user(request, uuid)
    initial = {
        "attending": "no" if invitation.status == invitation.Status.DECLINED else "yes",
        "people": [a.person for a in invitation.attendees.filter(withdrawn=False)],
    }
    form = forms.AnswerForm(request.POST or None, body=invitation.body, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_answer(
                invitation=invitation,
                attending=form.cleaned_data["attending"],
                people=list(form.cleaned_data["people"]),
                by=request.user,
            )
        except ValidationError as error:
            _fail(request, form, error)
        else:
            messages.success(request, "出欠を回答しました。")
            return redirect(grant.meeting)
    context = {"form": form, "meeting": grant.meeting, "invitation": invitation}
    return render(request, "meetings/invitation_answer.html", context)


# --- agenda, attendance, minutes ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def agenda_item_create(request, uuid):
    grant = access.get_rw_meeting_for_user(request, uuid)
    form = forms.AgendaItemForm(request.POST or None, meeting=grant.meeting)
    if request.method == "POST" and form.is_valid():
        data = form.item_data()
        number = form.cleaned_data.get("case_number")
        if number:
            # Only a case the worker may see in the case file: the agenda must not become a way to probe.
            data["case"] = visible_cases(request.user).filter(number=number.strip()).first()
        try:
            if number and data["case"] is None:
                raise ValidationError("その番号で、あなたが閲覧できるケースはありません。")
            services.agenda_item_add(meeting=grant.meeting, data=data, by=request.user)
        except ValidationError as error:
            _fail(request, form, error)
        else:
            messages.success(request, "議題を追加しました。")
            return redirect(grant.meeting)
    return render(request, "meetings/agenda_item_form.html", {"form": form, "meeting": grant.meeting})


@require_http_methods(["GET", "POST"])
def agenda_item_update(request, uuid, pk):
    """The item's part of the minutes: 議事の経過 and 決定事項 (refused once the minutes are approved)."""
    grant, item = access.get_rw_agenda_item_for_user(request, uuid, pk)
    form = forms.MinutesItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_update(item=item, data=form.cleaned_data, by=request.user)
        except ValidationError as error:
            _fail(request, form, error)
        else:
            messages.success(request, "会議録を保存しました。")
            return redirect(grant.meeting)
    context = {
        "form": form,
        "meeting": grant.meeting,
        "item": item,
        "action_form": forms.ActionForm(),
        "material_form": forms.MaterialForm(),
    }
    return render(request, "meetings/minutes_item_form.html", context)


@require_POST
def action_create(request, uuid, pk):
    grant, item = access.get_rw_agenda_item_for_user(request, uuid, pk)
    form = forms.ActionForm(request.POST)
    if form.is_valid():
        try:
            services.action_add(item=item, data=form.cleaned_data, by=request.user)
        except ValidationError as error:
            _fail(request, None, error)
        else:
            messages.success(request, "役割分担を追加しました。")
    else:
        messages.error(request, "役割分担の入力を確認してください（機関・内容・期日）。")
    return redirect("meetings:agenda_item_update", uuid=grant.meeting.uuid, pk=item.pk)


@require_POST
def action_done(request, pk):
    action_row = access.get_action_for_body(request, pk)
    try:
        services.action_complete(action=action_row, by=request.user)
    except ValidationError as error:
        _fail(request, None, error)
    else:
        messages.success(request, "役割分担を完了にしました。")
    return redirect("home")


@require_http_methods(["GET", "POST"])
def attendance(request, uuid):
    grant = access.get_rw_meeting_for_user(request, uuid)
    attendees = grant.meeting.attendees.filter(withdrawn=False).select_related("person__body")
    form = forms.AttendanceForm(request.POST or None, attendees=attendees)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(meeting=grant.meeting, states=form.states(), by=request.user)
        except ValidationError as error:
            _fail(request, form, error)
        else:
            messages.success(request, "出欠を記録しました。")
            return redirect(grant.meeting)
    context = {"form": form, "meeting": grant.meeting, "external_form": forms.ExternalAttendeeForm()}
    return render(request, "meetings/attendance_form.html", context)


@require_POST
def external_attendee_create(request, uuid):
    grant = access.get_rw_meeting_for_user(request, uuid)
    form = forms.ExternalAttendeeForm(request.POST)
    if form.is_valid():
        try:
            services.external_attendee_add(meeting=grant.meeting, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            _fail(request, None, error)
        else:
            messages.success(request, "外部の出席者を追加しました。")
    else:
        messages.error(request, "氏名と所属を入力してください。")
    return redirect("meetings:attendance", uuid=grant.meeting.uuid)


@require_POST
def minutes_circulate(request, uuid):
    grant = access.get_rw_meeting_for_user(request, uuid)
    form = forms.CirculateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "確認の期限を入力してください。")
        return redirect(grant.meeting)
    try:
        services.minutes_circulate(meeting=grant.meeting, confirm_by=form.cleaned_data["confirm_by"], by=request.user)
    except ValidationError as error:
        _fail(request, None, error)
    else:
        messages.success(request, "会議録（案）を出席者に確認依頼しました。")
    return redirect(grant.meeting)


@require_POST
def minutes_confirm(request, uuid):
    grant = access.get_meeting_for_attendee(request, uuid)
    try:
        services.minutes_confirm(meeting=grant.meeting, person=grant.person, by=request.user)
    except ValidationError as error:
        _fail(request, None, error)
    else:
        messages.success(request, "会議録（案）の内容を確認したことを記録しました。")
    return redirect(grant.meeting)


@require_POST
def minutes_remind(request, uuid):
    grant = access.get_rw_meeting_for_user(request, uuid)
    try:
        count = services.minutes_remind(meeting=grant.meeting, by=request.user)
    except ValidationError as error:
        _fail(request, None, error)
    else:
        messages.success(request, f"未確認の出席者{count}人に催促のメールを送りました。")
    return redirect(grant.meeting)


@require_POST
def correction_create(request, uuid, pk):
    grant, item = access.get_agenda_item_for_attendee(request, uuid, pk)
    form = forms.CorrectionForm(request.POST)
    if form.is_valid():
        try:
            services.correction_propose(item=item, person=grant.person, text=form.cleaned_data["text"], by=request.user)
        except ValidationError as error:
            _fail(request, None, error)
        else:
            messages.success(request, "修正を提案しました。")
    else:
        messages.error(request, "修正の内容を入力してください。")
    return redirect(grant.meeting)


@require_POST
def correction_decide(request, uuid):
    grant, correction = access.get_rw_correction_for_user(request, uuid)
    form = forms.CorrectionDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.correction_decide(
                correction=correction,
                accept=form.cleaned_data["accept"],
                answer=form.cleaned_data["answer"],
                person=grant.person,
                by=request.user,
            )
        except ValidationError as error:
            _fail(request, None, error)
        else:
            messages.success(request, "修正の提案に回答しました。")
    else:
        messages.error(request, "判断を選んでください。")
    return redirect(grant.meeting)


@require_POST
def minutes_approve(request, uuid):
    grant = access.get_meeting_for_approval(request, uuid)
    try:
        services.minutes_approve(meeting=grant.meeting, person=grant.person, by=request.user)
    except ValidationError as error:
        _fail(request, None, error)
    else:
        messages.success(request, "会議録を承認しました。PDFを作成して確定します。")
    return redirect(grant.meeting)


@require_POST
def erratum_create(request, uuid):
    grant = access.get_rw_meeting_for_user(request, uuid)
    form = forms.ErratumForm(request.POST)
    if form.is_valid():
        try:
            services.erratum_add(
                minutes=grant.meeting.minutes, person=grant.person, **form.cleaned_data, by=request.user
            )
        except ValidationError as error:
            _fail(request, None, error)
        else:
            messages.success(request, "訂正を記録しました。")
    else:
        messages.error(request, "訂正の内容と理由を入力してください。")
    return redirect(grant.meeting)


@require_POST
def minutes_publish(request, uuid):
    grant = access.get_rw_meeting_for_user(request, uuid)
    try:
        services.minutes_publish(minutes=grant.meeting.minutes, by=request.user)
    except ValidationError as error:
        _fail(request, None, error)
    else:
        messages.success(request, "会議録を公開しました。")
    return redirect(grant.meeting)


@require_GET
def minutes_pdf(request, uuid):
    """Art. 7/8: the stored file. Art. 9: rendered for this reader (取扱注意 and watermark, see documents.py)."""
    grant = access.get_minutes_pdf_for_user(request, uuid)
    meeting = grant.meeting
    if meeting.is_case_review:
        document = minutes_pdf_document(meeting, reader=grant.person.name)
    else:
        document = stored_minutes_document(meeting)
    return download_response(
        request, document, action=Action.PDF, scope=access.scope_of(meeting), obj=meeting, basis=grant.basis
    )


# --- case-review meetings (Art. 9) -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def review_sheet_create(request, uuid):
    """The hub ticks, per case on the agenda, the fields the attendees may see."""
    grant = access.get_rw_meeting_for_user(request, uuid)
    cases = [item.case for item in grant.meeting.agenda_items.select_related("case") if item.case is not None]
    form = forms.ReviewSheetForm(request.POST or None, cases=cases)
    if request.method == "POST" and form.is_valid():
        try:
            sheet = services.review_sheet_prepare(
                meeting=grant.meeting,
                case=form.cleaned_data["case"],
                fields=form.cleaned_data["fields"],
                by=request.user,
            )
        except ValidationError as error:
            _fail(request, form, error)
        else:
            messages.success(request, f"{sheet.case.number} のケース検討シートを作成しました。")
            return redirect(grant.meeting)
    return render(request, "meetings/review_sheet_form.html", {"form": form, "meeting": grant.meeting})


@require_GET
def review_sheet_detail(request, uuid):
    sheet, needs_confirmation = access.get_review_sheet_for_user(request, uuid)
    if needs_confirmation:
        return redirect("meetings:duty_confirm", uuid=sheet.meeting.uuid)
    return render(request, "meetings/review_sheet_detail.html", {"sheet": sheet, "meeting": sheet.meeting})


@require_http_methods(["GET", "POST"])
def duty_confirm(request, uuid):
    """Art. 10, confirmed per person and meeting before its materials open."""
    grant = access.get_meeting_for_duty(request, uuid)
    if request.method == "POST":
        services.duty_confirm(meeting=grant.meeting, person=grant.person, ip=client_ip(request), by=request.user)
        messages.success(request, "守秘義務を確認しました。")
        return redirect(grant.meeting)
    return render(request, "meetings/duty_confirm.html", {"meeting": grant.meeting})


@require_POST
def decision_plan_item(request, uuid, pk):
    """One action of the hub: the decision becomes a support-plan item on the case, linked back to it."""
    grant, item = access.get_decision_for_hub(request, uuid, pk)
    get_rw_case_for_user(request, item.case.uuid)
    form = forms.DecisionPlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, "サービスと担当する機関を選んでください。")
        return redirect(grant.meeting)
    try:
        services.decision_to_plan_item(item=item, **form.cleaned_data, by=request.user)
    except ValidationError as error:
        _fail(request, None, error)
    else:
        messages.success(request, f"決定を {item.case.number} の支援計画に加えました。")
    return redirect(grant.meeting)


# --- materials and the calendar feed --------------------------------------------------------------------------


@require_POST
def material_create(request, uuid, pk):
    grant, item = access.get_rw_agenda_item_for_user(request, uuid, pk)
    form = forms.MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.material_add(
                item=item,
                title=form.cleaned_data["title"],
                uploaded=form.cleaned_data["file"],
                kind=form.kind,
                by=request.user,
            )
        except ValidationError as error:
            _fail(request, None, error)
        else:
            messages.success(request, "資料を登録しました。")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("meetings:agenda_item_update", uuid=grant.meeting.uuid, pk=item.pk)


@require_GET
def material_download(request, uuid):
    grant, material = access.get_material_for_user(request, uuid)
    if material is None:
        return redirect("meetings:duty_confirm", uuid=grant.meeting.uuid)
    with private_storage().open(material.path, "rb") as file:
        content = file.read()
    extension = material.path.rsplit(".", 1)[-1]
    document = Document(filename=f"{material.title}.{extension}", content_type=material.content_type, content=content)
    meeting, case = grant.meeting, material.agenda_item.case
    case_fields = {"object_label": case.number, "case_ref": str(case.uuid)} if case is not None else {}
    return download_response(
        request,
        document,
        action=Action.EXPORT,
        scope=access.scope_of(meeting),
        obj=material,
        basis=grant.basis,
        reason=f"会議資料（{meeting.title}）",
        **case_fields,
    )


@require_GET
def calendar_settings(request):
    person = access.require_meeting_role(request, MEETING_ROLES, action=Action.VIEW)
    active = person.calendar_tokens.filter(revoked_at__isnull=True).exists()
    return render(request, "meetings/calendar_settings.html", {"active": active, "feed_url": ""})


@require_POST
def calendar_token_issue(request):
    """The new address is shown in this response only (the database keeps its hash), so no redirect: a copy of
    the secret in the session or a message would outlive the page."""
    person = access.require_meeting_role(request, MEETING_ROLES, action=Action.CHANGE)
    token = services.calendar_token_issue(person=person, by=request.user)
    feed_url = absolute_url(reverse("meetings:calendar_feed", args=[token.secret]))
    response = render(request, "meetings/calendar_settings.html", {"active": True, "feed_url": feed_url})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def calendar_token_revoke(request):
    person = access.require_meeting_role(request, MEETING_ROLES, action=Action.CHANGE)
    services.calendar_token_revoke(person=person, by=request.user)
    messages.success(request, "カレンダー配信を停止しました。")
    return redirect("meetings:calendar_settings")


@login_not_required
@require_safe  # GET and HEAD: monitoring and link checkers ask with HEAD
def calendar_feed(request, token):
    """The secret feed a calendar program fetches; the token is the only credential, so it is revocable."""
    person = access.get_calendar_feed(request, token)
    response = HttpResponse(feed_ics(access.feed_meetings(person)), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


# --- the public page of published minutes -------------------------------------------------------------------


@login_not_required
@require_safe  # GET and HEAD: monitoring and link checkers ask with HEAD
def public_minutes_list(request):
    """Published Art. 7/8 minutes, as cities publish 会議録 (no sign-in)."""
    published = access.published_meetings().prefetch_related("minutes__errata").order_by("-date")
    return render(request, "meetings/public_minutes_list.html", {"meetings": published})


@login_not_required
@require_safe  # GET and HEAD: monitoring and link checkers ask with HEAD
def public_minutes_pdf(request, uuid):
    meeting = access.get_published_meeting(request, uuid)
    return download_response(
        request,
        stored_minutes_document(meeting),
        action=Action.PDF,
        scope=AccessLog.Scope.NETWORK,
        obj=meeting,
        basis=AccessLog.Basis.NONE,
        reason="公開会議録",
    )
