import datetime
import io
import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ageo_network.documents import Document
from ageo_network.history import history_rows
from ageo_network.holidays import closed_day_reason
from ageo_network.uploads import sniff
from ageo_network.wareki import fiscal_year, fiscal_year_label
from audit.downloads import download_response
from audit.models import AccessLog
from outreach import access, selectors, services
from outreach.documents import (
    attendance_xlsx_document,
    certificate_pdf_document,
    gatekeeper_roster_xlsx_document,
    placements_xlsx_document,
)
from outreach.forms import (
    ActivityReportForm,
    CommentForm,
    DigestChoiceForm,
    EventForm,
    MaterialForm,
    MaterialShipmentForm,
    MemberRegistrationForm,
    MovementForm,
    PlacementFilterForm,
    PostForm,
    PublicRegistrationForm,
    ReportForm,
    ShipmentForm,
)
from outreach.models import (
    ActivityReport,
    DigestChoice,
    Event,
    Material,
    Placement,
    PlacementConfirmation,
    Post,
    Registration,
    RestockRequest,
    StockMovement,
)
from outreach.personal_data import personal_data_warnings
from registry.access import rate_limited
from registry.forms import signup_started_token
from registry.models import Body

logger = logging.getLogger("outreach")
NETWORK_SIDE = AccessLog.Scope.NETWORK
PUBLIC_RATE = (20, 3600)  # POSTs per IP per hour; override with settings.OUTREACH_PUBLIC_RATE_LIMIT
PUBLIC_DONE_KEY = "outreach_public_registration"
FILE_FIELDS = ("print_file", "thumbnail")


# --- the secretariat's dashboard and the member's page ---------------------------------------------------------


@require_GET
def dashboard(request):
    """The secretariat's outreach dashboard: charts (server-rendered SVG, each with its table) and the
    work waiting: low stock, open restock requests."""
    access.require_manager(request, object_type="outreach.dashboard")
    materials = list(Material.objects.filter(is_active=True))
    open_requests = list(
        access.visible_restock_requests(request.user).filter(closed_at__isnull=True).order_by("requested_at")
    )
    context = {
        "low_materials": [m for m in materials if m.is_low],
        "open_requests": open_requests,
        "active_placements": Placement.objects.filter(status=Placement.Status.ACTIVE).count(),
        **selectors.dashboard_figures(today=timezone.localdate()),
    }
    return render(request, "outreach/dashboard.html", context)


@require_GET
def my_outreach(request):
    """A body's own page: its placements with one-click restock requests, the yearly confirmation, events."""
    body = access.require_member_body(request, object_type="outreach.placement", action=AccessLog.Action.LIST)
    placements = list(
        Placement.objects.filter(body=body, status=Placement.Status.ACTIVE)
        .select_related("material")
        .order_by("material__title", "spot")
    )
    open_requests = {
        r.placement_id: r
        for r in RestockRequest.objects.filter(placement__body=body, closed_at__isnull=True).select_related("placement")
    }
    for placement in placements:
        placement.open_request = open_requests.get(placement.pk)
    year = fiscal_year(timezone.localdate())
    registrations = list(
        access.visible_registrations(request.user)
        .filter(body=body, event__starts_at__gte=timezone.now())
        .exclude(status=Registration.Status.CANCELLED)
        .order_by("event__starts_at", "name_kana")
    )
    context = {
        "body": body,
        "placements": placements,
        "confirmation": PlacementConfirmation.objects.filter(body=body, fiscal_year=year).first(),
        "fiscal_year": year,
        "levels": RestockRequest.Level.choices,
        "events": list(selectors.upcoming_events()[:10]),
        "registrations": registrations,
        "gatekeeper_count": selectors.gatekeepers(Registration.objects.filter(body=body)).count(),
    }
    return render(request, "outreach/my_outreach.html", context)


# --- materials and the stock ledger --------------------------------------------------------------------------


@require_GET
def material_list(request):
    materials = access.visible_materials(request.user)
    return render(
        request,
        "outreach/material_list.html",
        {"materials": materials, "can_manage": access.can_manage(request.user)},
    )


@require_http_methods(["GET", "POST"])
def material_create(request):
    access.require_manager(request, object_type="outreach.material")
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in MaterialForm.Meta.fields if field not in FILE_FIELDS}
        data.update({field: form.cleaned_data[field] for field in FILE_FIELDS if form.cleaned_data.get(field)})
        try:
            material = services.material_create(data=data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"「{material.title}」を登録しました。")
            return redirect("outreach:material_detail", pk=material.pk)
    return render(request, "outreach/material_form.html", {"form": form})


@require_GET
def material_detail(request, pk):
    material = access.get_material_for_user(request, pk)
    context = {"material": material, "can_manage": access.can_manage(request.user)}
    if context["can_manage"]:
        context.update(
            movements=list(material.movements.select_related("body", "by__person")[:200]),
            movement_form=MovementForm(prefix="move"),
            shipment_form=ShipmentForm(material=material, prefix="ship"),
            placed=material.placements.filter(status=Placement.Status.ACTIVE).aggregate(n=Sum("quantity"))["n"] or 0,
        )
    return render(request, "outreach/material_detail.html", context)


@require_http_methods(["GET", "POST"])
def material_update(request, pk):
    material = access.get_rw_material_for_user(request, pk)
    form = MaterialForm(request.POST or None, request.FILES or None, instance=Material.objects.get(pk=material.pk))
    if request.method == "POST" and form.is_valid():
        # A cleared file (False) is stored as no file.
        data = {
            field: form.cleaned_data[field] or ("" if field in FILE_FIELDS else form.cleaned_data[field])
            for field in form.changed_data
        }
        try:
            services.material_update(material=material, data=data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "啓発物の情報を更新しました。")
            return redirect("outreach:material_detail", pk=material.pk)
    return render(request, "outreach/material_form.html", {"form": form, "material": material})


def _material_file(request, pk, field: str):
    material = access.get_material_file_for_user(request, pk, field)
    stored = getattr(material, field)
    with stored.open("rb") as handle:
        content = handle.read()
    kind = sniff(io.BytesIO(content))
    name = f"{material.title}-{material.get_language_display()}-{material.edition}.{kind.extension if kind else 'bin'}"
    document = Document(name, kind.content_type if kind else "application/octet-stream", content)
    return download_response(request, document, log=False)


@require_GET
def material_print_file(request, pk):
    return _material_file(request, pk, "print_file")


@require_GET
def material_thumbnail(request, pk):
    return _material_file(request, pk, "thumbnail")


@require_POST
def stock_movement_create(request, pk):
    material = access.get_rw_material_for_user(request, pk)
    form = MovementForm(request.POST, prefix="move")
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["kind"] == StockMovement.Kind.RECEIVED:
                services.stock_receive(material=material, quantity=data["quantity"], note=data["note"], by=request.user)
            elif data["kind"] == StockMovement.Kind.RETURNED:
                services.stock_return(
                    material=material, body=data["body"], quantity=data["quantity"], note=data["note"], by=request.user
                )
            else:
                services.stock_discard(material=material, quantity=data["quantity"], note=data["note"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{StockMovement.Kind(data['kind']).label} {data['quantity']} を記録しました。")
    else:
        messages.error(request, "入力を確認してください：" + " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("outreach:material_detail", pk=material.pk)


@require_POST
def stock_ship(request, pk):
    material = access.get_rw_material_for_user(request, pk)
    form = ShipmentForm(request.POST, material=material, prefix="ship")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.stock_ship(
                material=material,
                body=data["body"],
                quantity=data["quantity"],
                spot=data["spot"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{data['body'].name} へ {data['quantity']} を発送しました。")
    else:
        messages.error(request, "入力を確認してください：" + " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("outreach:material_detail", pk=material.pk)


# --- placements and restock requests ---------------------------------------------------------------------------


@require_GET
def placement_list(request):
    """Every placement (the secretariat) or the body's own, by area (市内 by 町名 / 市外) or by material."""
    form = PlacementFilterForm(request.GET or None)
    placements = access.visible_placements(request.user)
    group = "area"
    if form.is_valid():
        data = form.cleaned_data
        group = data["group"] or "area"
        if data["material"]:
            placements = placements.filter(material=data["material"])
        if data["in_city"]:
            placements = placements.filter(body__in_city=data["in_city"] == "in")
        if not data["include_removed"]:
            placements = placements.filter(status=Placement.Status.ACTIVE)
    else:
        placements = placements.filter(status=Placement.Status.ACTIVE)
    placements = list(placements.order_by("body__name", "material__title", "spot"))
    context = {
        "form": form,
        "group": group,
        "total": len(placements),
        "quantity": sum(p.quantity for p in placements if p.is_active),
        "query": request.GET.urlencode(),
        "can_manage": access.can_manage(request.user),
    }
    if group == "material":
        context["by_material"] = selectors.placements_by_material(placements)
    else:
        context["by_area"] = selectors.placements_by_area(placements)
    return render(request, "outreach/placement_list.html", context)


@require_GET
def placement_xlsx(request):
    placements = access.visible_placements(request.user).order_by("body__name", "material__title", "spot")
    return download_response(
        request,
        placements_xlsx_document(placements, today=timezone.localdate()),
        action=AccessLog.Action.EXPORT,
        scope=NETWORK_SIDE,
        object_type="outreach.placement",
        basis=AccessLog.Basis.ROLE,
    )


@require_POST
def restock_request_create(request, pk):
    placement = access.get_rw_placement_for_user(request, pk)
    level = request.POST.get("level")
    if level not in RestockRequest.Level.values:
        messages.error(request, "状況を選んでください。")
        return redirect("outreach:my_outreach")
    try:
        services.restock_request_create(placement=placement, level=level, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        label = RestockRequest.Level(level).label
        messages.success(request, f"「{placement.material.title}」の補充を依頼しました（{label}）。")
    return redirect("outreach:my_outreach")


@require_POST
def placement_remove(request, pk):
    placement = access.get_rw_placement_for_user(request, pk)
    services.placement_remove(placement=placement, by=request.user)
    messages.success(request, f"「{placement.material.title}」（{placement.get_spot_display()}）を撤去済みにしました。")
    return redirect("outreach:my_outreach")


@require_POST
def placements_confirm(request):
    body = access.require_member_body(request, object_type="outreach.placement")
    confirmation = services.placements_confirm(body=body, by=request.user)
    messages.success(request, f"{confirmation.fiscal_year}年度の設置状況の確認を記録しました。")
    return redirect("outreach:my_outreach")


@require_GET
def restock_list(request):
    access.require_manager(request, object_type="outreach.restockrequest", action=AccessLog.Action.LIST)
    requests = access.visible_restock_requests(request.user)
    context = {
        "open_requests": list(requests.filter(closed_at__isnull=True).order_by("requested_at", "id")),
        "closed_requests": list(requests.filter(closed_at__isnull=False).order_by("-closed_at")[:30]),
    }
    return render(request, "outreach/restock_list.html", context)


@require_http_methods(["GET", "POST"])
def restock_ship(request, pk):
    """Ship against a restock request: the shipment closes it (services.stock_ship)."""
    restock = access.get_rw_restock_request_for_user(request, pk)
    placement = restock.placement
    initial = {"material": placement.material, "body": placement.body, "spot": placement.spot}
    form = MaterialShipmentForm(request.POST or None, initial=initial, material=placement.material)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.stock_ship(
                material=data["material"],
                body=data["body"],
                quantity=data["quantity"],
                spot=data["spot"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{data['body'].name} へ {data['quantity']} を発送しました。")
            return redirect("outreach:restock_list")
    return render(request, "outreach/restock_ship.html", {"form": form, "restock": restock})


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
            services.event_update(event=event, data=form.event_data(), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "行事を更新しました。")
            return redirect("outreach:event_detail", uuid=event.uuid)
    return render(request, "outreach/event_form.html", {"form": form, "event": event})


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
        "form": MemberRegistrationForm(),
        "closed_reason": closed_day_reason(event.day),
    }
    return render(request, "outreach/event_detail.html", context)


@require_POST
def event_register(request, uuid):
    """A member registers a person of their own body."""
    event = access.get_event_for_user(request, uuid)
    body = access.require_member_body(request, object_type="outreach.registration")
    form = MemberRegistrationForm(request.POST)
    if form.is_valid():
        try:
            registration = services.registration_create_member(
                event=event,
                body=body,
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
    else:
        messages.error(request, "氏名を入力してください。")
    return redirect("outreach:event_detail", uuid=event.uuid)


@require_http_methods(["GET", "POST"])
def event_attendance(request, uuid):
    event = access.get_rw_event_for_user(request, uuid)
    registrations = list(
        event.registrations.filter(status=Registration.Status.REGISTERED)
        .select_related("body")
        .order_by("name_kana", "id")
    )
    if request.method == "POST":
        ids = {int(value) for value in request.POST.getlist("attended") if value.isdigit()}
        services.attendance_record(event=event, attended_ids=ids, by=request.user)
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
    registration = access.get_registration_for_user(request, uuid, action=AccessLog.Action.PDF)
    if not registration.certificate_serial:
        messages.error(request, "修了証は、ゲートキーパー研修に出席した人にだけ発行できます。")
        return redirect("outreach:event_detail", uuid=registration.event.uuid)
    return download_response(request, certificate_pdf_document(registration), log=False)


@require_GET
def gatekeeper_roster(request):
    """Who was trained, per body, when, and when the refresher is due. Personal data: the read is logged."""
    access.require_member_body(request, object_type="outreach.gatekeeper", action=AccessLog.Action.LIST)
    rows = list(selectors.gatekeepers(access.visible_registrations(request.user)))
    today = timezone.localdate()
    for row in rows:
        row.trained_on = row.event.day
        row.refresher_due = services.refresher_due(row.trained_on)
        row.refresher_overdue = row.refresher_due <= today
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
@require_http_methods(["GET", "POST"])
def public_register(request, uuid):
    event = access.get_public_event(request, uuid)
    form = PublicRegistrationForm(request.POST or None)
    closed = event.starts_at <= timezone.now()
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
@require_GET
def public_done(request):
    return render(request, "outreach/public_done.html", {"status": request.session.get(PUBLIC_DONE_KEY)})


@login_not_required
@rate_limited("outreach-public", setting="OUTREACH_PUBLIC_RATE_LIMIT", default=PUBLIC_RATE)
@require_http_methods(["GET", "POST"])
def public_cancel(request, token):
    """The cancel link of the confirmation mail: GET shows what is cancelled, POST cancels."""
    registration = Registration.objects.select_related("event").filter(cancel_token=token).first()
    if registration is None or registration.status == Registration.Status.CANCELLED:
        return render(request, "outreach/public_cancel.html", {"invalid": True})
    if request.method == "POST":
        services.registration_cancel(registration=registration)
        return render(request, "outreach/public_cancel.html", {"done": True, "event": registration.event})
    return render(request, "outreach/public_cancel.html", {"registration": registration, "event": registration.event})


# --- the bulletin (情報共有) ----------------------------------------------------------------------------------------

POSTS_PER_PAGE = 30


@require_GET
def post_list(request):
    """Pinned posts first, then the newest; a filter by category; the secretariat also sees hidden posts."""
    posts = access.visible_posts(request.user).annotate(
        comment_count=Count("comments", filter=Q(comments__is_hidden=False))
    )
    category = request.GET.get("category", "")
    if category in Post.Category.values:
        posts = posts.filter(category=category)
    page = Paginator(posts.order_by("-is_pinned", "-created_at", "-id"), POSTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "category": category,
        "categories": Post.Category.choices,
        "can_manage": access.can_manage(request.user),
    }
    return render(request, "outreach/post_list.html", context)


@require_http_methods(["GET", "POST"])
def post_create(request):
    body = access.require_member_body(request, object_type="outreach.post")
    form = PostForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        post = services.post_create(data=form.post_data(), body=body, by=request.user)
        messages.success(request, "掲示板に投稿しました。")
        return redirect("outreach:post_detail", uuid=post.uuid)
    return render(request, "outreach/post_form.html", {"form": form})


@require_GET
def post_detail(request, uuid):
    post = access.get_post_for_user(request, uuid)
    can_manage = access.can_manage(request.user)
    comments = post.comments.select_related("author_body", "author__person")
    if not can_manage:
        comments = comments.filter(is_hidden=False)
    context = {
        "post": post,
        "comments": list(comments),
        "can_manage": can_manage,
        # A comment sent back with a personal-data warning comes back filled in, with the confirmation box.
        "comment_draft": request.session.pop("outreach_comment_draft", ""),
        "comment_form": CommentForm(),
        "report_form": ReportForm(),
        "history": history_rows(post, 20) if can_manage else [],
    }
    return render(request, "outreach/post_detail.html", context)


@require_GET
def post_attachment(request, uuid):
    post = access.get_post_attachment_for_user(request, uuid)
    with post.attachment.open("rb") as handle:
        content = handle.read()
    kind = sniff(io.BytesIO(content))
    name = f"{post.title}.{kind.extension if kind else 'bin'}"
    return download_response(
        request, Document(name, kind.content_type if kind else "application/octet-stream", content), log=False
    )


@require_POST
def comment_create(request, uuid):
    post = access.get_post_for_user(request, uuid)
    body = access.require_member_body(request, object_type="outreach.comment")
    form = CommentForm(request.POST)
    if form.is_valid():
        warnings = personal_data_warnings(form.cleaned_data["text"])
        if warnings and request.POST.get("confirmed") != "on":
            messages.warning(
                request, " ".join(warnings) + " 問題がなければ、確認欄にチェックを入れて送信してください。"
            )
            request.session["outreach_comment_draft"] = form.cleaned_data["text"]
            return redirect("outreach:post_detail", uuid=post.uuid)
        try:
            services.comment_create(post=post, text=form.cleaned_data["text"], body=body, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            request.session.pop("outreach_comment_draft", None)
            messages.success(request, "コメントを投稿しました。")
    else:
        messages.error(request, "コメントを入力してください。")
    return redirect("outreach:post_detail", uuid=post.uuid)


@require_POST
def post_pin(request, uuid):
    post = access.get_rw_post_for_user(request, uuid)
    post = services.post_pin(post=post, pinned=not post.is_pinned, by=request.user)
    messages.success(request, "投稿を上部に固定しました。" if post.is_pinned else "固定を外しました。")
    return redirect("outreach:post_detail", uuid=post.uuid)


@require_POST
def post_hide(request, uuid):
    post = access.get_rw_post_for_user(request, uuid)
    post = services.post_hide(post=post, hidden=not post.is_hidden, by=request.user)
    messages.success(request, "投稿を非表示にしました。" if post.is_hidden else "投稿を再び表示しました。")
    return redirect("outreach:post_detail", uuid=post.uuid)


@require_POST
def post_report(request, uuid):
    post = access.get_post_for_user(request, uuid)
    form = ReportForm(request.POST)
    if form.is_valid():
        services.post_report(post=post, reason=form.cleaned_data["reason"], by=request.user)
        messages.success(request, "事務局に報告しました。ご協力ありがとうございます。")
    else:
        messages.error(request, "報告の理由を入力してください。")
    return redirect("outreach:post_detail", uuid=post.uuid)


@require_http_methods(["GET", "POST"])
def digest_choice(request):
    """The body's choice of the weekly digest mail."""
    body = access.require_member_body(request, object_type="outreach.digestchoice")
    current = DigestChoice.objects.filter(body=body).first()
    initial = {"frequency": current.frequency if current else DigestChoice.Frequency.NONE}
    form = DigestChoiceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.digest_choose(body=body, frequency=form.cleaned_data["frequency"], by=request.user)
        messages.success(request, "まとめメールの設定を保存しました。")
        return redirect("outreach:post_list")
    return render(request, "outreach/digest_form.html", {"form": form, "body": body})


# --- activity reports ------------------------------------------------------------------------------------------


def _report_year(request) -> int:
    current = fiscal_year(timezone.localdate())
    try:
        year = int(request.GET.get("year", current))
    except ValueError:
        return current
    return year if 2024 <= year <= current else current


@require_http_methods(["GET", "POST"])
def activity_report_edit(request):
    """The body files (or corrects) its report of a 年度, pre-filled from its placements and registrations."""
    body = access.require_member_body(request, object_type="outreach.activityreport")
    year = _report_year(request)
    report = ActivityReport.objects.filter(body=body, fiscal_year=year).first()
    prefill = selectors.activity_report_prefill(body, year)
    form = ActivityReportForm(request.POST or None, instance=report, initial=None if report else prefill)
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in services.REPORT_FIELDS}
        services.activity_report_submit(body=body, fiscal_year=year, data=data, by=request.user)
        messages.success(request, f"{fiscal_year_label(datetime.date(year, 4, 1))}の活動報告を提出しました。")
        return redirect(f"{reverse('outreach:activity_report_edit')}?year={year}")
    context = {
        "form": form,
        "report": report,
        "prefill": prefill,
        "year": year,
        "year_label": fiscal_year_label(datetime.date(year, 4, 1)),
        "years": list(range(fiscal_year(timezone.localdate()), 2023, -1)),
    }
    return render(request, "outreach/activity_report_form.html", context)


@require_GET
def activity_report_list(request):
    """Who has reported for a 年度 and who has not, with the totals."""
    access.require_manager(request, object_type="outreach.activityreport", action=AccessLog.Action.LIST)
    year = _report_year(request)
    reports = {
        r.body_id: r for r in ActivityReport.objects.filter(fiscal_year=year).select_related("submitted_by__person")
    }
    bodies = list(Body.objects.active().order_by("kind", "name_kana", "name"))
    rows = [(body, reports.get(body.pk)) for body in bodies]
    totals = {
        field: sum(getattr(r, field) for r in reports.values())
        for field in ("posters", "leaflets", "event_attendees", "gatekeepers")
    }
    context = {
        "rows": rows,
        "year": year,
        "year_label": fiscal_year_label(datetime.date(year, 4, 1)),
        "years": list(range(fiscal_year(timezone.localdate()), 2023, -1)),
        "reported": len(reports),
        "missing": len(bodies) - len([b for b in bodies if b.pk in reports]),
        "totals": totals,
    }
    return render(request, "outreach/activity_report_list.html", context)


@require_POST
def activity_report_remind(request):
    access.require_manager(request, object_type="outreach.activityreport")
    year = _report_year(request)
    count = services.activity_report_remind(fiscal_year=year)
    messages.success(request, f"未提出の {count}機関にお願いのメールを送りました。")
    return redirect(f"{reverse('outreach:activity_report_list')}?year={year}")
