from heapq import merge

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET

from audit.access import access_logs_visible_to, open_audit_screen, signin_events_visible_to, tracked_models_for
from audit.documents import access_log_csv_document
from audit.downloads import download_response
from audit.forms import AccessFilterForm, AuditFilterForm, SignInFilterForm
from registry.models import Body

PAGE_SIZE = 100
CHANGE_ROWS = 300
COUNT_CAP = 10_000
# A name or body search that matches more than this many accounts is not a filter; the screen says so.
MATCH_CAP = 200


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP rows (the log has millions): past that the screen says 「10,000件以上」."""

    @cached_property
    def count(self):
        return self.object_list.order_by()[: COUNT_CAP + 1].count()

    def page(self, number):
        # Not cut at the (capped) count: the last page reachable shows a full page of rows.
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)

    @property
    def count_label(self) -> str:
        return f"{COUNT_CAP:,}件以上" if self.count > COUNT_CAP else f"{self.count:,}件"


def _matching_accounts(data) -> list[int] | None:
    """Account ids for the person and body filters, resolved on the small people tables first, so that the
    big log tables are filtered on their indexed account column (not by a substring match across joins)."""
    if not data.get("person") and not data.get("body") and not data.get("body_name"):
        return None
    accounts = get_user_model().objects.all()
    if data.get("person"):
        term = data["person"]
        accounts = accounts.filter(Q(username__icontains=term) | Q(person__name__icontains=term))
    bodies = _matching_bodies(data)
    if bodies is not None:
        accounts = accounts.filter(person__body__in=bodies)
    return list(accounts.order_by("pk").values_list("pk", flat=True)[:MATCH_CAP])


def _matching_bodies(data) -> list[int] | None:
    if data.get("body"):
        return [data["body"].pk]
    if data.get("body_name"):
        return list(Body.objects.filter(name__icontains=data["body_name"]).values_list("pk", flat=True)[:MATCH_CAP])
    return None


def _filter_people(rows, form, user_field="user", body_field=None):
    """`body_field`: the row's own body column, when it has one (the access log records the body of the time)."""
    data = form.cleaned_data
    if body_field and not data.get("person"):
        bodies = _matching_bodies(data)
        if bodies is not None:
            rows = rows.filter(**{f"{body_field}__in": bodies})
    else:
        accounts = _matching_accounts(data)
        if accounts is not None:
            rows = rows.filter(**{f"{user_field}__in": accounts})
            if body_field and _matching_bodies(data) is not None:
                rows = rows.filter(**{f"{body_field}__in": _matching_bodies(data)})
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
        logs = _filter_people(logs, form, body_field="body")
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
    page = CappedPaginator(logs, PAGE_SIZE).get_page(request.GET.get("page"))
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
        events = _filter_people(events, form)
        if form.cleaned_data["kind"]:
            events = events.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["target"]:
            events = events.filter(username__icontains=form.cleaned_data["target"])
    elif form.is_bound:
        events = events.none()
    page = CappedPaginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
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
            # Only the columns the screen shows: a history row of a case holds its ciphertext, and
            # decrypting thousands of values to show who/when/which record was most of this page's time.
            records = model.history.select_related("history_user__person__body").only(
                "history_id",
                "history_date",
                "history_type",
                "id",
                "history_user__username",
                "history_user__person__body__name",
            )
            if form.is_bound:
                records = _filter_history(records, form, model)
            records = records.order_by("-history_date")[:CHANGE_ROWS]
            streams.append([(r.history_date, model._meta.verbose_name, r) for r in records])
    rows = list(merge(*streams, key=lambda row: row[0], reverse=True))[:CHANGE_ROWS]
    return render(request, "audit/change_list.html", {"form": form, "rows": rows})


def _filter_history(records, form, model):
    data = form.cleaned_data
    accounts = _matching_accounts(data)
    if accounts is not None:
        records = records.filter(history_user__in=accounts)
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
