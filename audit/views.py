from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import IntegerField, Q, Value
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET, require_POST

from audit.access import (
    get_download_for_user,
    history_model_of,
    open_audit_screen,
    signin_events_visible_to,
    tracked_models_for,
    viewer_scope,
)
from audit.documents import ACCESS_LOG_CSV
from audit.downloads import prepared_download_response
from audit.exports import download_request, keep_for, visible_downloads
from audit.forms import AuditFilterForm, SignInFilterForm
from audit.selectors import filter_people, filtered_access_logs, matching_accounts

# 50 rows a page: rendering the rows was most of an audit page's time at 100.
PAGE_SIZE = 50
# The change list merges the newest rows of every history table in scope; filters find older ones.
CHANGE_ROWS = 100
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP rows (the log has millions): past that the screen says 「10,000件以上」."""

    @cached_property
    def count(self):
        return self.object_list.order_by()[: COUNT_CAP + 1].count()

    def page(self, number):
        # Not cut at the (capped) count: the last page reachable shows a full page of rows.
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(page_rows(self.object_list, bottom, bottom + self.per_page), number, self)

    @property
    def count_label(self) -> str:
        return f"{COUNT_CAP:,}件以上" if self.count > COUNT_CAP else f"{self.count:,}件"


def page_rows(rows, bottom: int, top: int) -> list:
    """The rows [bottom:top] of the ordered queryset `rows`, in two queries: the ids of the page sorted alone,
    then the page's rows with their joins by primary key. In one query PostgreSQL joined the user, person and
    body of every matching row before sorting (2,500 rows of one target: 23 ms at 10 years; the ids: 1 ms)."""
    ids = list(rows.values_list("pk", flat=True)[bottom:top])
    by_id = {row.pk: row for row in rows.order_by().filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id]


@require_GET
def access_log_list(request):
    scopes = open_audit_screen(request, "audit.accesslog")
    form, logs = filtered_access_logs(request.user, request.GET)
    page = CappedPaginator(logs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "scopes": scopes, "query": _query_without_page(request)}
    return render(request, "audit/accesslog_list.html", context)


@require_POST
def access_log_csv(request):
    """Queue the CSV of the filtered log (a year of it is hundreds of thousands of rows) for "my downloads"."""
    scopes = open_audit_screen(request, "audit.accesslog.csv")  # the row of this request
    download_request(
        request=request,
        kind=ACCESS_LOG_CSV,
        title="閲覧記録（CSV）",
        params={"query": request.GET.urlencode()},
        scope=viewer_scope(scopes),
    )
    messages.success(request, "CSVを作成しています。準備ができると、この一覧からダウンロードできます。")
    return redirect("audit:download_list")


@require_GET
def download_list(request):
    """The signed-in person's prepared files ("my downloads"), until they expire."""
    downloads = visible_downloads(request.user)
    return render(
        request,
        "audit/download_list.html",
        {"downloads": downloads, "keep_hours": int(keep_for().total_seconds() // 3600)},
    )


@require_GET
def download_file(request, uuid):
    download = get_download_for_user(request, uuid)
    return prepared_download_response(download)


@require_GET
def signin_list(request):
    open_audit_screen(request, "audit.signinevent")
    form = SignInFilterForm(request.GET or None)
    events = signin_events_visible_to(request.user)
    if form.is_valid():
        events = filter_people(events, form)
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
    rows = []
    if not form.is_bound or form.is_valid():
        models = tracked_models_for(request.user)
        accounts = matching_accounts(form.cleaned_data) if form.is_bound else None
        # One UNION ALL of the newest rows of each history table, plain columns only: a history row of a case
        # holds its ciphertext, and one query per table (40 for the secretariat) was most of this page's time.
        parts = []
        for n, model in enumerate(models):
            records = history_model_of(model)._default_manager.all()
            if form.is_bound:
                records = _filter_history(records, form, model, accounts)
            records = records.annotate(table=Value(n, output_field=IntegerField()))
            parts.append(records.order_by("-history_date").values_list(*CHANGE_COLUMNS, "table")[:CHANGE_ROWS])
        if not connection.features.supports_slicing_ordering_in_compound:
            # The embedded SQLite demo cannot limit each part of a UNION: one query per table, merged here.
            newest = sorted((row for part in parts for row in part), key=lambda r: r[0], reverse=True)[:CHANGE_ROWS]
        elif parts:
            union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
            newest = list(union.order_by("-history_date")[:CHANGE_ROWS])
        else:
            newest = []
        people = _actors({r[3] for r in newest if r[3] is not None})
        types = [dict(history_model_of(m)._meta.get_field("history_type").choices) for m in models]
        for at, pk, history_type, user_id, n in newest:
            username, body_name = people.get(user_id, (None, None))
            row = ChangeRow(pk, history_type, user_id, username, body_name, types[n])
            rows.append((at, models[n]._meta.verbose_name, row))
    return render(request, "audit/change_list.html", {"form": form, "rows": rows, "change_rows": CHANGE_ROWS})


CHANGE_COLUMNS = ("history_date", "id", "history_type", "history_user_id")


def _actors(user_ids) -> dict:
    """{account id: (username, body name)} of the accounts that made the shown changes, in one query."""
    users = get_user_model().objects.filter(pk__in=user_ids).order_by("pk")
    found = {}
    for pk, username, body_name in users.values_list("pk", "username", "person__body__name"):
        found.setdefault(pk, (username, body_name))
    return found


@dataclass(frozen=True)
class ChangeRow:
    """One line of the change list: which record, what kind of change, by whom (never the record's content)."""

    id: int
    history_type: str
    history_user_id: int | None
    username: str | None
    body_name: str | None
    types: dict

    def get_history_type_display(self) -> str:
        return self.types.get(self.history_type, self.history_type)


def _filter_history(records, form, model, accounts):
    data = form.cleaned_data
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
