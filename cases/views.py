"""Case screens. Every case, referral and information item comes from cases/access.py,
which logs the read (or the refused attempt) and answers 404 outside scope."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ageo_network.history import history_rows
from audit.downloads import download_response
from audit.exports import download_request
from audit.models import AccessLog
from audit.services import access_log, client_ip
from cases import access, forms, retention, selectors, services
from cases.documents import CASE_SUMMARY_PDF, case_summary_document
from cases.models import Case, ConsentRecord, FollowUp, Information, LegalHold, PlanItem
from registry.models import Body
from registry.roles import ALL_ROLES, HUB_ROLES, REFERRAL_ROLES, SUPERVISOR_ROLES

Basis = AccessLog.Basis
Action = AccessLog.Action
HISTORY_ROWS = 50
# Past this many consultations the summary PDF (about 6 per page) is made by the worker, not in the request.
PDF_IN_REQUEST_MAX_CONSULTATIONS = 100
# Every view that takes case fields: an error report never carries what was posted.
takes_case_fields = sensitive_post_parameters()
# How the access log marks a summary PDF that carries the fields withheld under address protection.
PROTECTED_FIELDS_REASON = "住所等を記載："


def _fail(request, form, error: ValidationError):
    if form is not None:
        form.add_error(None, error)
    else:
        messages.error(request, " ".join(error.messages))


# --- Information from partners ------------------------------------------------------


@takes_case_fields
@require_http_methods(["GET", "POST"])
def info_create(request):
    """Any member sends the hub what they noticed; the hub also enters phone calls here."""
    person = access.require_role(request, ALL_ROLES, object_type="cases.information", action=Action.CHANGE)
    phone = access.is_hub(request.user)
    form_class = forms.PhoneInformationForm if phone else forms.InformationForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form_class.Meta.fields}
        body = (form.cleaned_data.get("source_body") or person.body) if phone else person.body
        channel = Information.Channel.PHONE if phone else Information.Channel.ONLINE
        item = services.information_submit(by=request.user, body=body, data=data, channel=channel)
        messages.success(request, f"情報提供を受け付けました。受付番号は {item.receipt_number} です。")
        return redirect("cases:info_receipt", uuid=item.uuid)
    return render(request, "cases/information_form.html", {"form": form, "phone": phone})


@require_GET
def info_sent_list(request):
    access.require_role(request, ALL_ROLES, object_type="cases.information")
    items = Information.objects.filter(submitted_by=request.user).only(
        "uuid", "receipt_number", "submitted_at", "triage", "sender_closed"
    )
    access.log_list(request, object_type="cases.information", basis=Basis.ROLE, reason="送信者の一覧")
    return render(request, "cases/information_sent_list.html", {"items": items})


@require_GET
def info_receipt(request, uuid):
    item = access.get_information_for_sender(request, uuid)
    return render(request, "cases/information_receipt.html", {"item": item})


@require_GET
def intake_queue(request):
    access.require_role(request, HUB_ROLES, object_type="cases.information")
    since = timezone.now() - datetime.timedelta(days=30)
    handled = (
        Information.objects.exclude(triage=Information.Triage.PENDING)
        .filter(triaged_at__gte=since)
        .select_related("body", "case")
    )
    context = {"pending": selectors.pending_information(), "handled": handled}
    access.log_list(request, object_type="cases.information", basis=Basis.ROLE, reason="受付キュー")
    return render(request, "cases/intake_queue.html", context)


@require_GET
def intake_detail(request, uuid):
    item = access.get_information_for_hub(request, uuid)
    context = {
        "item": item,
        "link_form": forms.LinkCaseForm(),
        "no_case_form": forms.NoCaseForm(),
        "case_visible": item.case is not None,  # a linked item is only shown on a basis for its case
    }
    return render(request, "cases/intake_detail.html", context)


@require_POST
def intake_link(request, uuid):
    item = access.get_information_for_hub(request, uuid, action=Action.CHANGE)
    form = forms.LinkCaseForm(request.POST)
    if form.is_valid():
        # Only a case the worker may see: linking must not become a way to probe for cases.
        case = access.visible_cases(request.user).filter(number=form.cleaned_data["number"]).first()
        if case is None:
            messages.error(request, "その番号で、あなたが閲覧できるケースはありません。")
            return redirect("cases:intake_detail", uuid=item.uuid)
        try:
            services.information_link(item=item, case=case, by=request.user)
        except ValidationError as error:
            _fail(request, None, error)
            return redirect("cases:intake_detail", uuid=item.uuid)
        messages.success(request, f"{item.receipt_number} を {case.number} に結び付けました。")
        return redirect(case)
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("cases:intake_detail", uuid=item.uuid)


@require_POST
def intake_open_case(request, uuid):
    item = access.get_information_for_hub(request, uuid, action=Action.CHANGE)
    try:
        case = services.information_open_case(item=item, by=request.user)
    except ValidationError as error:
        _fail(request, None, error)
        return redirect("cases:intake_detail", uuid=item.uuid)
    messages.success(request, f"ケース {case.number} を開きました。")
    if access.case_basis(request.user, case) is None:
        return redirect("cases:supervisor_home")
    return redirect(case)


@takes_case_fields
@require_POST
def intake_no_case(request, uuid):
    item = access.get_information_for_hub(request, uuid, action=Action.CHANGE)
    form = forms.NoCaseForm(request.POST)
    if form.is_valid():
        try:
            services.information_no_case(item=item, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            _fail(request, None, error)
        else:
            messages.success(request, f"{item.receipt_number} をケースにしない理由を記録しました。")
            return redirect("cases:intake_queue")
    else:
        messages.error(request, "ケースにしなかった理由を5文字以上で記録してください。")
    return redirect("cases:intake_detail", uuid=item.uuid)


# --- Dashboards ---------------------------------------------------------------------------


def _my_open_cases(person):
    mine = Case.objects.open().filter(assignments__person=person, assignments__ended_at__isnull=True)
    return Case.objects.open().filter(pk__in=mine.values("pk"))


@require_GET
def worker_home(request):
    person = access.require_role(request, HUB_ROLES, object_type="cases.case")
    context = selectors.dashboard(_my_open_cases(person), today=timezone.localdate())
    context["pending"] = selectors.pending_information()
    context["all_cases_url"] = reverse("cases:open_case_list") + "?mine=1"
    access.log_list(request, object_type="cases.case", basis=Basis.ASSIGNMENT)
    return render(request, "cases/worker_home.html", context)


@require_GET
def supervisor_home(request):
    access.require_role(request, SUPERVISOR_ROLES, object_type="cases.case")
    rows = selectors.DASHBOARD_ROWS
    context = selectors.dashboard(Case.objects.open(), today=timezone.localdate(), rows=rows)
    context.update(
        {
            "pending": selectors.pending_information(),
            "unassigned": selectors.Capped(selectors.unassigned_cases(), rows),
            "closure_requests": selectors.Capped(
                selectors.without_secrets(Case.objects.filter(closure_requested_at__isnull=False).open()).order_by(
                    "closure_requested_at", "pk"
                ),
                rows,
            ),
            "break_glass": list(selectors.recent_break_glass()),
            "now": timezone.now(),
            "all_cases_url": reverse("cases:open_case_list"),
        }
    )
    access.log_list(request, object_type="cases.case", basis=Basis.SUPERVISION)
    return render(request, "cases/supervisor_home.html", context)


@require_GET
def open_case_list(request):
    """Every open case the viewer oversees (the supervisor) or is assigned to (?mine=1, and every worker), paginated."""
    person = access.require_role(request, HUB_ROLES, object_type="cases.case")
    everything = access.is_supervisor(request.user) and not request.GET.get("mine")
    cases = Case.objects.open() if everything else _my_open_cases(person)
    page = Paginator(selectors.open_cases_by_risk(cases), selectors.OPEN_CASES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    access.log_list(request, object_type="cases.case", basis=Basis.SUPERVISION if everything else Basis.ASSIGNMENT)
    context = {
        "page": page,
        "everything": everything,
        "query": "" if everything else "mine=1",
    }
    return render(request, "cases/open_case_list.html", context)


@require_GET
def referral_inbox(request):
    access.require_role(request, REFERRAL_ROLES, object_type="cases.referral")
    referrals = access.visible_referrals(request.user)
    context = {
        "open": list(selectors.open_referrals_for(referrals)),
        "returned": list(selectors.returned_referrals_for(referrals)),
    }
    access.log_list(request, object_type="cases.referral", basis=Basis.REFERRAL)
    return render(request, "cases/referral_inbox.html", context)


@takes_case_fields
@require_http_methods(["GET", "POST"])
def case_search(request):
    """Find a case by reading or number (cases/access.py decides what each match shows). POST keeps names out of URLs."""
    access.require_role(request, HUB_ROLES, object_type="cases.case")
    form = forms.CaseSearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        results = access.search_cases(request, reading=form.cleaned_data["reading"], number=form.cleaned_data["number"])
    return render(request, "cases/case_search.html", {"form": form, "results": results})


# --- The case -----------------------------------------------------------------------------


@takes_case_fields
@require_http_methods(["GET", "POST"])
def case_create(request):
    access.require_role(request, HUB_ROLES, object_type="cases.case", action=Action.CHANGE)
    form = forms.CaseForm(request.POST or None, instance=Case())
    if request.method == "POST" and form.is_valid():
        case = services.case_open(by=request.user, data=form.case_data(only_changed=False))
        messages.success(request, f"ケース {case.number} を開きました。")
        if access.case_basis(request.user, case) is None:
            return redirect("cases:supervisor_home")
        return redirect(case)
    return render(request, "cases/case_form.html", {"form": form, "case": None})


@require_GET
def case_detail(request, uuid):
    grant = access.get_case_for_user(request, uuid)
    case, basis = grant
    glass = None
    if basis == Basis.BREAK_GLASS:
        glass = case.break_glass_accesses.filter(user=request.user, expires_at__gt=timezone.now()).first()
    keys = selectors.timeline_keys(case)
    context = {
        "case": case,
        "basis": basis,
        "basis_label": grant.basis_label,
        "break_glass": glass,
        "can_write": grant.can_write,
        "can_export": grant.can_export,
        "is_supervisor": access.is_supervisor(request.user),
        "assignments": case.assignments.filter(ended_at__isnull=True).select_related("person"),
        "plan_items": selectors.plan_items_with_referrals(case),
        "consents": case.consents.select_related("body"),
        "follow_ups": case.follow_ups.filter(done_at__isnull=True),
        "stays": case.protection_stays.all(),
        # The newest entries only (a long case has hundreds); the rest on the paginated timeline page.
        "timeline": selectors.timeline_entries(case, keys[-selectors.TIMELINE_ROWS :]),
        "timeline_count": len(keys),
        "history": history_rows(case, HISTORY_ROWS),
        "stage_form": forms.StageForm(initial={"stage": case.stage}),
        "closure_form": forms.ReasonForm(label="終結の理由"),
        "reopen_form": forms.ReasonForm(label="再開の理由"),
        "protected_pdf_form": forms.ProtectedPrintForm(),
        "today": timezone.localdate(),
    }
    return render(request, "cases/case_detail.html", context)


@require_GET
def case_timeline(request, uuid):
    """The whole timeline of the case, oldest first, a page at a time (the case page shows the newest entries)."""
    case, _basis = access.get_case_for_user(request, uuid)
    keys = selectors.timeline_keys(case)
    page = Paginator(keys, selectors.TIMELINE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"case": case, "page": page, "timeline": selectors.timeline_entries(case, page.object_list), "query": ""}
    return render(request, "cases/case_timeline.html", context)


@takes_case_fields
@require_http_methods(["GET", "POST"])
def case_update(request, uuid):
    case, _basis = access.get_rw_case_for_user(request, uuid)
    form = forms.CaseForm(request.POST or None, instance=Case.objects.get(pk=case.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(
                case=case,
                data=form.case_data(only_changed=False),
                expected_version=form.cleaned_data["version"] or 0,
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "ケースの基本情報を更新しました。")
            return redirect(case)
    return render(request, "cases/case_form.html", {"form": form, "case": case})


def _case_action(request, uuid, form, action, success: str):
    """Run one POST action on the case: the form's cleaned data goes to `action(case, data)`."""
    case, _basis = access.get_rw_case_for_user(request, uuid)
    if form.is_valid():
        try:
            action(case, form.cleaned_data)
        except ValidationError as error:
            _fail(request, None, error)
        else:
            messages.success(request, success)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(case)


@require_POST
def case_stage(request, uuid):
    return _case_action(
        request,
        uuid,
        forms.StageForm(request.POST),
        lambda case, d: services.case_set_stage(case=case, stage=d["stage"], note=d["note"], by=request.user),
        "段階を変更しました。",
    )


@require_POST
def case_closure_request(request, uuid):
    return _case_action(
        request,
        uuid,
        forms.ReasonForm(request.POST, label="終結の理由"),
        lambda case, d: services.case_request_closure(case=case, reason=d["reason"], by=request.user),
        "終結を申請しました。統括者の承認で終結します。",
    )


@require_POST
def case_closure_decide(request, uuid):
    case, _basis = access.get_rw_case_for_user(request, uuid, supervisor_only=True)
    form = forms.ClosureDecisionForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.case_decide_closure(case=case, approve=approve, by=request.user)
        except ValidationError as error:
            _fail(request, None, error)
        else:
            messages.success(request, "終結を承認しました。" if approve else "終結の申請を差し戻しました。")
    return redirect(case)


@require_POST
def case_reopen(request, uuid):
    return _case_action(
        request,
        uuid,
        forms.ReasonForm(request.POST, label="再開の理由"),
        lambda case, d: services.case_reopen(case=case, reason=d["reason"], by=request.user),
        "ケースを再開しました。",
    )


@require_http_methods(["GET", "POST"])
def case_assign(request, uuid):
    case, _basis = access.get_rw_case_for_user(request, uuid, supervisor_only=True)
    current = case.assignments.filter(ended_at__isnull=True)
    initial = {
        "lead": next((a.person_id for a in current if a.is_lead), None),
        "others": [a.person_id for a in current if not a.is_lead],
    }
    form = forms.AssignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_assign(
                case=case, lead=form.cleaned_data["lead"], others=list(form.cleaned_data["others"]), by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "担当を割り当てました。")
            return redirect(case)
    return render(request, "cases/record_form.html", _form_context(case, form, "担当の割当", "割り当てる"))


@sensitive_post_parameters("reason")
@require_http_methods(["GET", "POST"])
def case_break_glass(request, uuid):
    """A hub worker opens a case not assigned to them: the reason first, then a time-limited access."""
    case = access.get_case_for_break_glass(request, uuid)
    form = forms.BreakGlassForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                glass = services.break_glass_open(
                    case=case, user=request.user, reason=form.cleaned_data["reason"], ip=client_ip(request)
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.warning(
                    request, f"緊急閲覧を開始しました（{timezone.localtime(glass.expires_at):%H:%M} まで）。"
                )
                return redirect(case)
        access.log_break_glass_refused(request, case, reason="理由が不十分なため開始せず")
    return render(request, "cases/break_glass_form.html", {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
def case_pdf(request, uuid):
    """The summary PDF, on a basis that may take the file away on paper (the page shows the link on the same
    predicate). Under address protection GET leaves the address and contact details off paper; a POST with a
    reason puts them on, and its access-log row keeps the reason."""
    case, basis = access.get_case_pdf_for_user(request, uuid)
    include_protected = False
    reason = ""
    if request.method == "POST":
        form = forms.ProtectedPrintForm(request.POST)
        if not form.is_valid():
            access.log_case(request, case, basis=basis, action=Action.VIEW, reason="住所等記載PDF: 理由の不備")
            context = {"case": case, "protected_pdf_form": form}
            return render(request, "cases/case_pdf_form.html", context, status=400)
        include_protected, reason = True, f"{PROTECTED_FIELDS_REASON}{form.cleaned_data['reason']}"
    log_fields = {
        "action": Action.PDF,
        "scope": AccessLog.Scope.CASE,
        "obj": case,
        "object_label": case.number,
        "case_ref": str(case.uuid),
        "basis": basis,
        "reason": reason,
    }
    if case.consultations.count() > PDF_IN_REQUEST_MAX_CONSULTATIONS:
        # A long case is dozens of pages: made by the worker and fetched from "my downloads".
        access_log(request=request, **log_fields)
        download_request(
            request=request,
            kind=CASE_SUMMARY_PDF,
            title=f"ケース概要 {case.number}（PDF）",
            params={"case": str(case.uuid), "include_protected": include_protected},
            scope=AccessLog.Scope.CASE,
            object_label=case.number,
            case_ref=str(case.uuid),
        )
        messages.success(
            request, f"ケース {case.number} の概要PDFを作成しています。準備ができるとここからダウンロードできます。"
        )
        return redirect("audit:download_list")
    document = case_summary_document(case, reader=request.user, at=timezone.now(), include_protected=include_protected)
    return download_response(request, document, **log_fields)


# --- Records in the case --------------------------------------------------------------------


def _form_context(case, form, title, submit, **extra):
    return {"case": case, "form": form, "title": title, "submit_label": submit, **extra}


def _record(request, uuid, form_class, service, *, title, success, submit="記録する"):
    """GET shows the form; POST calls `service(case=..., data=..., by=...)` once and returns to the case."""
    case, _basis = access.get_rw_case_for_user(request, uuid)
    if case.is_closed:
        messages.error(request, "終結したケースには記録を追加できません。必要なら再開してください。")
        return redirect(case)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(case=case, data=form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, success)
            return redirect(case)
    return render(request, "cases/record_form.html", _form_context(case, form, title, submit))


@takes_case_fields
@require_http_methods(["GET", "POST"])
def consultation_create(request, uuid):
    return _record(
        request,
        uuid,
        forms.ConsultationForm,
        services.consultation_record,
        title="相談記録",
        success="相談記録を追加しました。",
    )


@takes_case_fields
@require_http_methods(["GET", "POST"])
def assessment_create(request, uuid):
    return _record(
        request,
        uuid,
        forms.AssessmentForm,
        services.assessment_record,
        title="アセスメント",
        success="アセスメントを記録しました。",
    )


@takes_case_fields
@require_http_methods(["GET", "POST"])
def plan_item_create(request, uuid):
    return _record(
        request,
        uuid,
        forms.PlanItemForm,
        services.plan_item_add,
        title="支援計画の項目",
        success="支援計画に項目を追加しました。",
    )


@takes_case_fields
@require_http_methods(["GET", "POST"])
def consent_create(request, uuid):
    return _record(
        request, uuid, forms.ConsentForm, services.consent_record, title="同意の記録", success="同意を記録しました。"
    )


@takes_case_fields
@require_http_methods(["GET", "POST"])
def accompaniment_create(request, uuid):
    return _record(
        request,
        uuid,
        forms.AccompanimentForm,
        services.accompaniment_record,
        title="同行",
        success="同行を記録しました。",
    )


@takes_case_fields
@require_http_methods(["GET", "POST"])
def protection_create(request, uuid):
    return _record(
        request,
        uuid,
        forms.ProtectionStayForm,
        services.protection_stay_record,
        title="一時保護・シェルター",
        success="保護の記録を追加しました。",
    )


@takes_case_fields
@require_http_methods(["GET", "POST"])
def follow_up_create(request, uuid):
    return _record(
        request,
        uuid,
        forms.FollowUpForm,
        services.follow_up_add,
        title="フォローアップの予定",
        success="フォローアップを予定しました。",
    )


@require_http_methods(["GET", "POST"])
def plan_item_update(request, uuid, pk):
    (case, _basis), item = access.get_case_record_for_user(request, uuid, PlanItem, pk)
    form = forms.PlanItemStatusForm(request.POST or None, instance=PlanItem.objects.get(pk=item.pk))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        services.plan_item_update(item=item, data=data, by=request.user)
        messages.success(request, "支援計画の項目を更新しました。")
        return redirect(case)
    title = f"支援計画の項目（{item.get_service_display()}）"
    return render(request, "cases/record_form.html", _form_context(case, form, title, "保存する"))


@require_POST
def consent_withdraw(request, uuid, pk):
    (case, _basis), consent = access.get_case_record_for_user(request, uuid, ConsentRecord, pk)
    try:
        services.consent_withdraw(consent=consent, by=request.user)
    except ValidationError as error:
        _fail(request, None, error)
    else:
        messages.success(request, "同意の撤回を記録しました。")
    return redirect(case)


@require_POST
def follow_up_done(request, uuid, pk):
    (case, _basis), follow_up = access.get_case_record_for_user(request, uuid, FollowUp, pk)
    form = forms.FollowUpDoneForm(request.POST)
    form.is_valid()
    try:
        services.follow_up_complete(follow_up=follow_up, result=form.cleaned_data.get("result", ""), by=request.user)
    except ValidationError as error:
        _fail(request, None, error)
    else:
        messages.success(request, "フォローアップの実施を記録しました。")
    return redirect(case)


@takes_case_fields
@require_http_methods(["GET", "POST"])
def referral_create(request, uuid, pk):
    (case, basis), item = access.get_case_record_for_user(request, uuid, PlanItem, pk)
    initial = {}
    if item.responsible_body.kind in (Body.Kind.DEPARTMENT, Body.Kind.AGENCY):
        initial["to_body"] = item.responsible_body
    form = forms.ReferralForm(request.POST or None, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_send(
                plan_item=item,
                to_body=data["to_body"],
                fields=data["fields"],
                request=data["request"],
                legal_basis=data["legal_basis"],
                legal_basis_note=data["legal_basis_note"],
                by=request.user,
                access_basis=basis,
                ip=client_ip(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{referral.to_body.name} に依頼を送りました。")
            return redirect(case)
    context = _form_context(
        case, form, f"依頼（{item.get_service_display()}）", "依頼を送る", consents=case.consents.select_related("body")
    )
    return render(request, "cases/referral_form.html", context)


# --- The receiving body ---------------------------------------------------------------------


@require_GET
def referral_detail(request, uuid):
    referral, basis = access.get_referral_for_user(request, uuid)
    context = {
        "referral": referral,
        "basis_label": Basis(basis).label,
        "is_recipient": basis == Basis.REFERRAL,
        "return_form": forms.ReferralReturnForm() if basis == Basis.REFERRAL else None,
    }
    return render(request, "cases/referral_detail.html", context)


@require_POST
def referral_acknowledge(request, uuid):
    referral = access.get_rw_referral_for_recipient(request, uuid)
    try:
        services.referral_acknowledge(referral=referral, by=request.user)
    except ValidationError as error:
        _fail(request, None, error)
    else:
        messages.success(request, "依頼を受領しました。")
    return redirect(referral)


@takes_case_fields
@require_http_methods(["GET", "POST"])
def referral_return(request, uuid):
    referral = access.get_rw_referral_for_recipient(request, uuid)
    form = forms.ReferralReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_return(
                referral=referral,
                action_taken=form.cleaned_data["action_taken"],
                outcome=form.cleaned_data["outcome"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "結果を拠点に報告しました。")
            return redirect(referral)
    return render(request, "cases/referral_return_form.html", {"referral": referral, "form": form})


# --- Retention: what the purge will remove, and legal holds (cases/retention.py) ---------------------------------

RETENTION_HORIZON_DAYS = 90


@require_GET
def retention_list(request):
    """The supervisor's view of the next 90 days of the purge: numbers and rules, never a name."""
    access.require_role(request, SUPERVISOR_ROLES, object_type="cases.legalhold")
    today = timezone.localdate()
    context = {
        "upcoming": retention.upcoming_purges(today, days=RETENTION_HORIZON_DAYS),
        "holds": list(
            LegalHold.objects.filter(lifted_at__isnull=True, until__gte=today)
            .select_related("case", "placed_by__person")
            # The case's number and id only: nothing of the case file is read (or decrypted) for this page.
            .only("reason", "until", "placed_at", "case__uuid", "case__number", "placed_by__person__name")
            .order_by("until", "id")
        ),
        "days": RETENTION_HORIZON_DAYS,
        "case_years": settings.RETENTION_CASE_YEARS,
    }
    access.log_list(request, object_type="cases.legalhold", basis=Basis.SUPERVISION)
    return render(request, "cases/retention_list.html", context)


@require_http_methods(["GET", "POST"])
def legal_hold_create(request, uuid):
    case, _basis = access.get_rw_case_for_user(request, uuid, supervisor_only=True)
    form = forms.LegalHoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_hold_place(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{case.number} の削除を保留しました。")
            return redirect("cases:retention_list")
    return render(request, "cases/legal_hold_form.html", {"case": case, "form": form})


@require_POST
def legal_hold_lift(request, uuid):
    case, _basis = access.get_rw_case_for_user(request, uuid, supervisor_only=True)
    hold = case.legal_holds.filter(lifted_at__isnull=True).first()
    if hold is None:
        messages.error(request, "このケースに解除できる保留はありません。")
        return redirect("cases:retention_list")
    try:
        services.legal_hold_lift(hold=hold, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{case.number} の保留を解除しました。")
    return redirect("cases:retention_list")
