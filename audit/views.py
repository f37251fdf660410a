from heapq import merge

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit.access import access_logs_visible_to, open_audit_screen, signin_events_visible_to, tracked_models_for
from audit.documents import access_log_csv_document
from audit.downloads import download_response
from audit.forms import AccessFilterForm, AuditFilterForm, SignInFilterForm

PAGE_SIZE = 100
CHANGE_ROWS = 300


def _filter_people(rows, form, user_field="user", person_field="person", body_field="body"):
    data = form.cleaned_data
    if data.get("person"):
        term = data["person"]
        rows = rows.filter(
            Q(**{f"{user_field}__username__icontains": term}) | Q(**{f"{person_field}__name__icontains": term})
        )
    if data.get("body") and body_field:
        rows = rows.filter(**{body_field: data["body"]})
    start, end = form.day_bounds()
    if start:
        rows = rows.filter(at__gte=start)
    if end:
        rows = rows.filter(at__lt=end)
    return rows


def filtered_access_logs(request):
    form = AccessFilterForm(request.GET or None)
    logs = access_logs_visible_to(request.user)
    if form.is_valid():
        logs = _filter_people(logs, form)
        data = form.cleaned_data
        if data["target"]:
            logs = logs.filter(
                Q(object_label=data["target"]) | Q(object_id=data["target"]) | Q(case_ref=data["target"])
            )
        if data["action"]:
            logs = logs.filter(action=data["action"])
        if data["outcome"]:
            logs = logs.filter(outcome=data["outcome"])
    elif form.is_bound:
        logs = logs.none()
    return form, logs


@require_GET
def access_log_list(request):
    scopes = open_audit_screen(request, "audit.accesslog")
    form, logs = filtered_access_logs(request)
    page = Paginator(logs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "scopes": scopes, "query": _query_without_page(request)}
    return render(request, "audit/accesslog_list.html", context)


@require_GET
def access_log_csv(request):
    open_audit_screen(request, "audit.accesslog.csv")  # the row of this download
    _, logs = filtered_access_logs(request)
    return download_response(request, access_log_csv_document(logs, today=timezone.localdate()), log=False)


@require_GET
def signin_list(request):
    open_audit_screen(request, "audit.signinevent")
    form = SignInFilterForm(request.GET or None)
    events = signin_events_visible_to(request.user)
    if form.is_valid():
        events = _filter_people(events, form, person_field="user__person", body_field="user__person__body")
        if form.cleaned_data["kind"]:
            events = events.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["target"]:
            events = events.filter(username__icontains=form.cleaned_data["target"])
    elif form.is_bound:
        events = events.none()
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "audit/signin_list.html", {"form": form, "page": page, "query": _query_without_page(request)}
    )


@require_GET
def change_list(request):
    """Who changed which record when, merged over every history table in the viewer's scope."""
    open_audit_screen(request, "audit.changes")
    form = AuditFilterForm(request.GET or None)
    streams = []
    if not form.is_bound or form.is_valid():
        for model in tracked_models_for(request.user):
            records = model.history.select_related("history_user", "history_user__person__body")
            if form.is_bound:
                records = _filter_history(records, form, model)
            records = records.order_by("-history_date")[:CHANGE_ROWS]
            streams.append([(r.history_date, model._meta.verbose_name, r) for r in records])
    rows = list(merge(*streams, key=lambda row: row[0], reverse=True))[:CHANGE_ROWS]
    return render(request, "audit/change_list.html", {"form": form, "rows": rows})


def _filter_history(records, form, model):
    data = form.cleaned_data
    if data.get("person"):
        term = data["person"]
        records = records.filter(
            Q(history_user__username__icontains=term) | Q(history_user__person__name__icontains=term)
        )
    if data.get("body"):
        records = records.filter(history_user__person__body=data["body"])
    start, end = form.day_bounds()
    if start:
        records = records.filter(history_date__gte=start)
    if end:
        records = records.filter(history_date__lt=end)
    if data.get("target"):
        target = data["target"]
        field_names = {f.name for f in model._meta.get_fields()}
        lookups = Q(pk__in=[])
        for name in ("number", "uuid", "reference"):
            if name in field_names:
                lookups |= Q(**{name: target})
        if target.isdigit():
            lookups |= Q(id=int(target))
        records = records.filter(lookups)
    return records


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
