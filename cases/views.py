"""Case screens. Every case, referral and information item comes from cases/access.py,
which logs the read (or the refused attempt) and answers 404 outside scope."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ageo_network.history import history_rows
from audit.downloads import download_response
from audit.models import AccessLog
from audit.services import access_log
from cases import access, forms, selectors, services
from cases.documents import case_summary_document
from cases.fields import search_hash
from cases.models import Case, ConsentRecord, FollowUp, Information, PlanItem, Referral
from registry.models import Body

Basis = AccessLog.Basis
Action = AccessLog.Action
HISTORY_ROWS = 50
# Bases on which a hub worker may also write in the case; any other basis (a meeting) reads only.
WRITE_BASES = {Basis.ASSIGNMENT, Basis.SUPERVISION, Basis.BREAK_GLASS}
# How the access log marks a summary PDF that carries the fields withheld under address protection.
PROTECTED_FIELDS_REASON = "住所等を記載："


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _case(request, uuid, *, write=False):
    action = Action.CHANGE if request.method == "POST" else Action.VIEW
    case, basis = access.get_case_for_user(request, uuid, action=action)
    if write and basis not in WRITE_BASES:
        raise PermissionDenied
    return case, basis


def _fail(request, form, error: ValidationError):
    if form is not None:
        form.add_error(None, error)
    else:
        messages.error(request, " ".join(error.messages))


# --- Information from partners ------------------------------------------------------


@require_http_methods(["GET", "POST"])
def info_create(request):
    """Any member sends the hub what they noticed; the hub also enters phone calls here."""
    person = access.current_person(request.user)
    _require(person is not None)
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
    _require(access.current_person(request.user) is not None)
    items = Information.objects.filter(submitted_by=request.user).only(
        "uuid", "receipt_number", "submitted_at", "triage", "sender_closed"
    )
    return render(request, "cases/information_sent_list.html", {"items": items})


@require_GET
def info_receipt(request, uuid):
    item = access.get_information_for_sender(request, uuid)
    return render(request, "cases/information_receipt.html", {"item": item})


@require_GET
def intake_queue(request):
    _require(access.is_hub(request.user))
    since = timezone.now() - datetime.timedelta(days=30)
    handled = (
        Information.objects.exclude(triage=Information.Triage.PENDING)
        .filter(triaged_at__gte=since)
        .select_related("body", "case")
    )
    context = {"pending": selectors.pending_information(), "handled": handled}
    return render(request, "cases/intake_queue.html", context)


@require_GET
def intake_detail(request, uuid):
    item = access.get_information_for_hub(request, uuid)
    context = {
        "item": item,
        "link_form": forms.LinkCaseForm(),
        "no_case_form": forms.NoCaseForm(),
        "case_visible": item.case is not None and access.case_basis(request.user, item.case) is not None,
    }
    return render(request, "cases/intake_detail.html", context)


@require_POST
def intake_link(request, uuid):
    item = access.get_information_for_hub(request, uuid, action=Action.CHANGE)
    form = forms.LinkCaseForm(request.POST)
    if form.is_valid():
        # Only a case the worker may see: linking must not become a way to probe for cases.
        case = Case.objects.visible_to(request.user).filter(number=form.cleaned_data["number"]).first()
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


@require_GET
def worker_home(request):
    _require(access.is_hub(request.user))
    person = access.current_person(request.user)
    mine = Case.objects.open().filter(assignments__person=person, assignments__ended_at__isnull=True)
    context = selectors.dashboard(Case.objects.open().filter(pk__in=mine.values("pk")), today=timezone.localdate())
    context["pending"] = selectors.pending_information()
    access_log(request=request, action=Action.LIST, object_type="cases.case", basis=Basis.ASSIGNMENT)
    return render(request, "cases/worker_home.html", context)


@require_GET
def supervisor_home(request):
    _require(access.is_supervisor(request.user))
    context = selectors.dashboard(Case.objects.open(), today=timezone.localdate())
    context.update(
        {
            "pending": selectors.pending_information(),
            "unassigned": list(selectors.unassigned_cases()),
            "closure_requests": list(Case.objects.filter(closure_requested_at__isnull=False).open()),
            "break_glass": list(selectors.recent_break_glass()),
            "now": timezone.now(),
        }
    )
    access_log(request=request, action=Action.LIST, object_type="cases.case", basis=Basis.SUPERVISION)
    return render(request, "cases/supervisor_home.html", context)


@require_GET
def referral_inbox(request):
    _require(access.receives_referrals(request.user))
    referrals = access.visible_referrals(request.user)
    context = {
        "open": list(selectors.open_referrals_for(referrals)),
        "returned": list(
            referrals.filter(status=Referral.Status.RETURNED)
            .select_related("case", "plan_item")
            .order_by("-returned_at")[:50]
        ),
    }
    access_log(request=request, action=Action.LIST, object_type="cases.referral", basis=Basis.REFERRAL)
    return render(request, "cases/referral_inbox.html", context)


@require_http_methods(["GET", "POST"])
def case_search(request):
    """Find a case by reading (keyed hash, never the plain text) or number. POST keeps names out of URLs."""
    _require(access.is_hub(request.user))
    form = forms.CaseSearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        reading, number = form.cleaned_data["reading"], form.cleaned_data["number"]
        matches = Case.objects.none()
        if reading:
            digest = search_hash(reading)
            matches = Case.objects.filter(reading_hash=digest) | Case.objects.filter(perpetrator_hash=digest)
        if number:
            matches = matches | Case.objects.filter(number=number)
        matches = list(matches.order_by("-opened_at")[:50])
        visible = set(
            Case.objects.visible_to(request.user).filter(pk__in=[c.pk for c in matches]).values_list("pk", flat=True)
        )
        digest = search_hash(reading) if reading else ""
        results = [
            {"case": c, "visible": c.pk in visible, "as_perpetrator": bool(digest) and c.perpetrator_hash == digest}
            for c in matches
        ]
        access_log(request=request, action=Action.LIST, object_type="cases.case", basis=Basis.ROLE, reason="ケース検索")
    return render(request, "cases/case_search.html", {"form": form, "results": results})


# --- The case -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def case_create(request):
    _require(access.is_hub(request.user))
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
    case, basis = _case(request, uuid)
    glass = None
    if basis == Basis.BREAK_GLASS:
        glass = case.break_glass_accesses.filter(user=request.user, expires_at__gt=timezone.now()).first()
    plan_items = case.plan_items.select_related("responsible_body").prefetch_related("referrals__to_body")
    context = {
        "case": case,
        "basis": basis,
        "basis_label": Basis(basis).label,
        "break_glass": glass,
        "can_write": basis in WRITE_BASES,
        "is_supervisor": access.is_supervisor(request.user),
        "assignments": case.assignments.filter(ended_at__isnull=True).select_related("person"),
        "plan_items": plan_items,
        "consents": case.consents.select_related("body"),
        "follow_ups": case.follow_ups.filter(done_at__isnull=True),
        "stays": case.protection_stays.all(),
        "timeline": selectors.case_timeline(case),
        "history": history_rows(case, HISTORY_ROWS),
        "stage_form": forms.StageForm(initial={"stage": case.stage}),
        "closure_form": forms.ReasonForm(label="終結の理由"),
        "reopen_form": forms.ReasonForm(label="再開の理由"),
        "protected_pdf_form": forms.ProtectedPrintForm(),
        "today": timezone.localdate(),
    }
    return render(request, "cases/case_detail.html", context)


@require_http_methods(["GET", "POST"])
def case_update(request, uuid):
    case, _basis = _case(request, uuid, write=True)
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
    case, _basis = _case(request, uuid, write=True)
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
    case, _basis = _case(request, uuid, write=True)
    _require(access.is_supervisor(request.user))
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
    case, _basis = _case(request, uuid, write=True)
    _require(access.is_supervisor(request.user))
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


@require_http_methods(["GET", "POST"])
def case_break_glass(request, uuid):
    """A hub worker opens a case not assigned to them: the reason first, then a time-limited access."""
    case = access.get_case_for_break_glass(request, uuid)
    form = forms.BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            glass = services.break_glass_open(case=case, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            access_log(
                request=request,
                action=Action.BREAK_GLASS,
                obj=case,
                object_label=case.number,
                case_ref=str(case.uuid),
                basis=Basis.BREAK_GLASS,
                reason=glass.reason,
            )
            messages.warning(request, f"緊急閲覧を開始しました（{timezone.localtime(glass.expires_at):%H:%M} まで）。")
            return redirect(case)
    return render(request, "cases/break_glass_form.html", {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
def case_pdf(request, uuid):
    """The summary PDF. Under address protection GET leaves the address and contact details off paper;
    a POST with a reason (a writing basis only) puts them on, and its access-log row keeps the reason."""
    if request.method == "GET":
        case, _basis = access.get_case_for_user(request, uuid, action=Action.PDF)
        document = case_summary_document(case, reader=request.user, at=timezone.now())
        return download_response(request, document, log=False)  # the access helper logged this PDF
    # The PDF row is written only once a PDF is made: until then this is a view of the case.
    case, basis = access.get_case_for_user(request, uuid, action=Action.VIEW)
    _require(basis in WRITE_BASES)
    form = forms.ProtectedPrintForm(request.POST)
    if not form.is_valid():
        return render(request, "cases/case_pdf_form.html", {"case": case, "protected_pdf_form": form}, status=400)
    document = case_summary_document(case, reader=request.user, at=timezone.now(), include_protected=True)
    return download_response(
        request,
        document,
        action=Action.PDF,
        obj=case,
        object_label=case.number,
        case_ref=str(case.uuid),
        basis=basis,
        reason=f"{PROTECTED_FIELDS_REASON}{form.cleaned_data['reason']}",
    )


# --- Records in the case --------------------------------------------------------------------


def _form_context(case, form, title, submit, **extra):
    return {"case": case, "form": form, "title": title, "submit_label": submit, **extra}


def _record(request, uuid, form_class, service, *, title, success, submit="記録する"):
    """GET shows the form; POST calls `service(case=..., data=..., by=...)` once and returns to the case."""
    case, _basis = _case(request, uuid, write=True)
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


@require_http_methods(["GET", "POST"])
def consent_create(request, uuid):
    return _record(
        request, uuid, forms.ConsentForm, services.consent_record, title="同意の記録", success="同意を記録しました。"
    )


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
    case, _basis = _case(request, uuid, write=True)
    item = get_object_or_404(PlanItem, case=case, pk=pk)
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
    case, _basis = _case(request, uuid, write=True)
    consent = get_object_or_404(ConsentRecord, case=case, pk=pk)
    try:
        services.consent_withdraw(consent=consent, by=request.user)
    except ValidationError as error:
        _fail(request, None, error)
    else:
        messages.success(request, "同意の撤回を記録しました。")
    return redirect(case)


@require_POST
def follow_up_done(request, uuid, pk):
    case, _basis = _case(request, uuid, write=True)
    follow_up = get_object_or_404(FollowUp, case=case, pk=pk)
    form = forms.FollowUpDoneForm(request.POST)
    form.is_valid()
    try:
        services.follow_up_complete(follow_up=follow_up, result=form.cleaned_data.get("result", ""), by=request.user)
    except ValidationError as error:
        _fail(request, None, error)
    else:
        messages.success(request, "フォローアップの実施を記録しました。")
    return redirect(case)


@require_http_methods(["GET", "POST"])
def referral_create(request, uuid, pk):
    case, basis = _case(request, uuid, write=True)
    item = get_object_or_404(PlanItem, case=case, pk=pk)
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
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # The disclosure itself is on record with its legal basis (never the packet's content).
            access_log(
                request=request,
                action=Action.EXPORT,
                obj=referral,
                object_label=case.number,
                case_ref=str(case.uuid),
                basis=basis,
                reason=f"依頼の送付: {referral.to_body.name} / 根拠: {referral.get_legal_basis_display()}",
            )
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


def _referral_for_recipient(request, uuid):
    action = Action.CHANGE if request.method == "POST" else Action.VIEW
    referral, basis = access.get_referral_for_user(request, uuid, action=action)
    # The hub reads packets through its case, but only the receiving body answers them.
    _require(basis == Basis.REFERRAL)
    return referral


@require_POST
def referral_acknowledge(request, uuid):
    referral = _referral_for_recipient(request, uuid)
    try:
        services.referral_acknowledge(referral=referral, by=request.user)
    except ValidationError as error:
        _fail(request, None, error)
    else:
        messages.success(request, "依頼を受領しました。")
    return redirect(referral)


@require_http_methods(["GET", "POST"])
def referral_return(request, uuid):
    referral = _referral_for_recipient(request, uuid)
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
