"""Rows for the history panel shown on detail pages."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


@dataclass
class HistoryRow:
    record: object
    changed: list[str]


def history_rows(obj, limit: int = 50) -> list[HistoryRow]:
    """The newest `limit` history records of obj with the labels of the fields each one changed.

    One query: the diff runs in Python between neighbouring records.
    """
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    rows = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(rows) == limit:
            break
        if older is None or newer.history_type != "~":
            rows.append(HistoryRow(newer, []))
            continue
        delta = newer.diff_against(older)
        labels = [str(obj._meta.get_field(change.field).verbose_name) for change in delta.changes]
        rows.append(HistoryRow(newer, labels))
    return rows


class HistoryAdmin(SimpleHistoryAdmin):
    """The admin with history pages that can only be looked at.

    django-simple-history's "revert" form saves whatever is POSTed to it even
    when SIMPLE_HISTORY_REVERT_DISABLED hides the button, so a POST is refused here.
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
