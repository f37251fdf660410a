"""Reads of the audit screens: the filters, resolved so that the big log tables are read through indexes."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from audit.access import access_logs_visible_to
from audit.forms import AccessFilterForm
from registry.models import Body

# A name or body search that matches more than this many accounts is not a filter; the screen says so.
MATCH_CAP = 200


def target_filter(target: str) -> Q:
    """The rows about `target` (a number, an opaque id or a case reference): an OR over three indexed columns,
    which PostgreSQL answers with a BitmapOr of the three indexes (1 ms at 5 million rows, EXPLAIN ANALYZE).
    The screen's page then sorts ids only (CappedPaginator), so the OR never drives a walk of the date index.
    It replaced a list of up to 30,000 ids fetched first and passed back as a parameter."""
    return Q(object_label=target) | Q(object_id=target) | Q(case_ref=target)


def matching_accounts(data) -> list[int] | None:
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


def filter_people(rows, form, user_field="user", body_field=None):
    """`body_field`: the row's own body column, when it has one (the access log records the body of the time)."""
    data = form.cleaned_data
    if body_field and not data.get("person"):
        bodies = _matching_bodies(data)
        if bodies is not None:
            rows = rows.filter(**{f"{body_field}__in": bodies})
    else:
        accounts = matching_accounts(data)
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


def filtered_access_logs(user, query):
    """(form, the access-log rows `user` may audit narrowed by the filters in `query`): the screen and its CSV."""
    form = AccessFilterForm(query or None)
    logs = access_logs_visible_to(user)
    if form.is_valid():
        logs = filter_people(logs, form, body_field="body")
        data = form.cleaned_data
        if data["target"]:
            logs = logs.filter(target_filter(data["target"]))
        if data["action"]:
            logs = logs.filter(action=data["action"])
        if data["outcome"]:
            logs = logs.filter(outcome=data["outcome"])
    elif form.is_bound:
        logs = logs.none()
    return form, logs
