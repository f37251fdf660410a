"""Writes that leave a history row naming the actor, rows for the history panel, and the history admin."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from simple_history.admin import SimpleHistoryAdmin


def save_tracked[M: models.Model](
    obj: M, *, by, update_fields: list[str] | None = None, reason: str = "", clean: bool = True
) -> M:
    """Validate and save a tracked model; its history row names `by` (and `reason`, when one is given).

    `update_fields=None` saves every field (creation); an update names the fields it changed.
    `clean=False` is for a site that deliberately saves without `full_clean()`.
    """
    obj._history_user = by
    if reason:
        obj._change_reason = reason
    if clean:
        obj.full_clean()
    obj.save(update_fields=update_fields)
    return obj


@dataclass
class HistoryRow:
    record: object
    changed: list[str]


def history_rows(obj, limit: int = 50) -> list[HistoryRow]:
    """The newest `limit` history records of obj with the labels of the fields each one changed.

    One query: the diff runs in Python between neighbouring records.
    """
    # The actor's person and body too: the panel names them to people outside the hub and the secretariat.
    records = list(
        obj.history.select_related("history_user__person__body").order_by("-history_date", "-history_id")[: limit + 1]
    )
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
