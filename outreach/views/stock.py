"""The secretariat's dashboard, the catalogue and its stock ledger, placements and restock requests."""

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ageo_network.documents import Document
from ageo_network.uploads import sniff
from ageo_network.wareki import fiscal_year
from audit.downloads import download_response
from audit.models import AccessLog
from outreach import access, selectors, services
from outreach.documents import placements_xlsx_document
from outreach.forms import (
    MaterialForm,
    MaterialShipmentForm,
    MovementForm,
    PlacementFilterForm,
    ShipmentForm,
)
from outreach.models import (
    Material,
    Placement,
    PlacementConfirmation,
    Registration,
    RestockRequest,
    StockMovement,
)

NETWORK_SIDE = AccessLog.Scope.NETWORK
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
