from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from ageo_network.history import history_rows
from ageo_network.pdf import render_pdf
from audit.services import client_ip
from registry import services
from registry.access import can_edit_body, get_body_for_user, visible_bodies
from registry.forms import BodyFilterForm, BodyForm
from registry.models import Body, PersonPledge, PledgeVersion

HISTORY_ROWS = 50


@require_GET
def body_list(request):
    form = BodyFilterForm(request.GET or None)
    bodies = visible_bodies(request.user)
    if form.is_valid():
        if form.cleaned_data["kind"]:
            bodies = bodies.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["status"]:
            bodies = bodies.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["q"]:
            q = form.cleaned_data["q"]
            bodies = bodies.filter(Q(name__icontains=q) | Q(name_kana__icontains=q))
    return render(
        request,
        "registry/body_list.html",
        {"form": form, "bodies": bodies, "can_pdf": request.user.has_perm("registry.view_roster")},
    )


@require_GET
def body_detail(request, pk):
    body = get_body_for_user(request.user, pk)
    history = history_rows(body, HISTORY_ROWS)
    people = body.people.select_related("user") if request.user.has_perm("registry.view_person") else None
    return render(
        request,
        "registry/body_detail.html",
        {"body": body, "history": history, "people": people, "can_edit": can_edit_body(request.user)},
    )


@require_http_methods(["GET", "POST"])
def body_update(request, pk):
    body = get_body_for_user(request.user, pk)
    if not can_edit_body(request.user):
        raise PermissionDenied
    form = BodyForm(request.POST or None, instance=Body.objects.get(pk=body.pk))
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in form.changed_data}
        try:
            services.body_update(body=body, by=request.user, data=data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "構成機関の情報を更新しました。")
            return redirect(body)
    return render(request, "registry/body_form.html", {"form": form, "body": body})


@require_GET
def roster_pdf(request):
    if not request.user.has_perm("registry.view_roster"):
        raise PermissionDenied
    filename, content_type, content = roster_document(today=timezone.localdate())
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def roster_document(*, today):
    bodies = Body.objects.active().order_by("kind", "name_kana", "name")
    groups = [(label, [b for b in bodies if b.kind == kind]) for kind, label in Body.Kind.choices]
    content = render_pdf("pdf/roster.html", {"groups": groups, "today": today, "total": len(bodies)})
    return f"roster-{today:%Y%m%d}.pdf", "application/pdf", content


@require_http_methods(["GET", "POST"])
def pledge(request):
    """The Art. 10 pledge page; every member page sends a person here until they accept."""
    person = getattr(request, "person", None)
    if person is None:
        raise Http404
    version = PledgeVersion.current()
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=False):
        next_url = ""
    accepted = PersonPledge.objects.filter(person=person, version=version).first()
    error = ""
    if request.method == "POST" and accepted is None:
        if request.POST.get("agree") == "on":
            services.pledge_accept(person=person, version=version, ip=client_ip(request), by=request.user)
            messages.success(request, "守秘義務の誓約を記録しました。")
            return redirect(next_url or "home")
        error = "誓約に同意する場合はチェックを入れてください。"
    context = {"version": version, "accepted": accepted, "next": next_url, "error": error}
    return render(request, "registry/pledge_form.html", context)
