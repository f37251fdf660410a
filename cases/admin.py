"""Case models in the Django admin show metadata only, read-only.

The system administrator maintains the site but never sees case content: no encrypted field is
listed, shown, searchable or editable here, and the history views (which print old → new values)
are closed.
"""

from django.contrib import admin
from django.http import Http404

from ageo_network.admin import ReadOnlyHistoryAdmin
from cases.models import (
    Accompaniment,
    Assessment,
    BreakGlassAccess,
    Case,
    CaseAssignment,
    ConsentRecord,
    Consultation,
    FollowUp,
    Information,
    LegalHold,
    NumberCounter,
    PlanItem,
    ProtectionStay,
    PurgedCaseFacts,
    PurgedInformationFacts,
    Referral,
    StageTransition,
)

# Fields an administrator may see: numbers, dates, states and links. Everything else (names, texts,
# categories, needs, risk, flags about her circumstances) is case content and stays out of the admin.
METADATA_FIELDS = {
    "id",
    "uuid",
    "number",
    "receipt_number",
    "fiscal_year",
    "sequence",
    "kind",
    "last_value",
    "case",
    "plan_item",
    "person",
    "user",
    "body",
    "to_body",
    "responsible_body",
    "opened_at",
    "submitted_at",
    "stage",
    "from_stage",
    "to_stage",
    "status",
    "triage",
    "channel",
    "closed_at",
    "is_lead",
    "assigned_at",
    "ended_at",
    "started_at",
    "expires_at",
    "at",
    "assessed_at",
    "created_at",
    "sent_at",
    "acknowledged_at",
    "returned_at",
    "due_on",
    "done_at",
    "reminded_on",
    "given_on",
    "valid_until",
    "withdrawn_at",
    "started_on",
    "ended_on",
    "on",
    # Retention: a hold's dates and actors, and the month-level counts kept of a purged case.
    "until",
    "placed_at",
    "placed_by",
    "lifted_at",
    "lifted_by",
    "closed_fiscal_year",
    "purged_at",
    "submitted_month",
    "body_kind",
}


class MetadataOnlyAdmin(ReadOnlyHistoryAdmin):
    """Read-only, and only the metadata fields: no encrypted or free-text field, no history pages."""

    search_fields = ["case__number"]

    def get_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name in METADATA_FIELDS]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def history_view(self, request, object_id, extra_context=None):
        raise Http404

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        raise Http404


@admin.register(Case)
class CaseAdmin(MetadataOnlyAdmin):
    list_display = ["number", "stage", "opened_at", "closed_at"]
    list_filter = ["stage", "fiscal_year"]
    search_fields = ["number"]


@admin.register(Information)
class InformationAdmin(MetadataOnlyAdmin):
    list_display = ["receipt_number", "submitted_at", "channel", "triage"]
    list_filter = ["triage", "channel"]
    search_fields = ["receipt_number"]


@admin.register(Referral)
class ReferralAdmin(MetadataOnlyAdmin):
    list_display = ["pk", "to_body", "status", "sent_at"]
    list_filter = ["status", "to_body__kind"]
    search_fields = ["case__number", "to_body__name"]


@admin.register(BreakGlassAccess)
class BreakGlassAccessAdmin(MetadataOnlyAdmin):
    list_display = ["case", "user", "started_at", "expires_at"]
    list_filter = ["started_at"]
    search_fields = ["case__number", "user__username"]


# (model, list_filter) of the other models; all are found by their case's number.
OTHER_MODELS = [
    (CaseAssignment, ["is_lead"]),
    (StageTransition, ["to_stage"]),
    (Consultation, ["at"]),
    (Assessment, ["assessed_at"]),
    (PlanItem, ["status"]),
    (ConsentRecord, ["body__kind"]),
    (Accompaniment, ["on"]),
    (ProtectionStay, ["kind"]),
    (FollowUp, ["due_on"]),
    (LegalHold, ["until"]),
]
for model, filters in OTHER_MODELS:
    admin.site.register(model, type(f"{model.__name__}Admin", (MetadataOnlyAdmin,), {"list_filter": filters}))


@admin.register(NumberCounter)
class NumberCounterAdmin(MetadataOnlyAdmin):
    list_display = ["kind", "fiscal_year", "last_value"]
    list_filter = ["kind", "fiscal_year"]
    search_fields = ["kind"]


@admin.register(PurgedCaseFacts)
class PurgedCaseFactsAdmin(MetadataOnlyAdmin):
    list_display = ["pk", "fiscal_year", "closed_fiscal_year", "purged_at"]
    list_filter = ["fiscal_year"]
    search_fields = ["opened_month", "closed_month"]


@admin.register(PurgedInformationFacts)
class PurgedInformationFactsAdmin(MetadataOnlyAdmin):
    list_display = ["pk", "submitted_month", "body_kind", "triage", "purged_at"]
    list_filter = ["body_kind", "triage"]
    search_fields = ["submitted_month"]
