from django.contrib import admin

from ageo_network.admin import ReadOnlyHistoryAdmin
from ageo_network.history import HistoryAdmin
from outreach.models import (
    ActivityReport,
    CertificateCounter,
    Comment,
    DigestChoice,
    Event,
    Material,
    Placement,
    PlacementConfirmation,
    Post,
    PostReport,
    Registration,
    RestockRequest,
    StockMovement,
)


@admin.register(Material)
class MaterialAdmin(HistoryAdmin):
    """Catalogue fields only: the stock moves through the ledger (outreach.services), never here."""

    list_display = ["title", "kind", "edition", "language", "stock", "low_stock_threshold", "is_active"]
    list_filter = ["kind", "language", "edition", "is_active", "public_placement"]
    search_fields = ["title"]
    readonly_fields = ["stock", "low_stock_notified", "created_at"]


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyHistoryAdmin):
    """The ledger is never edited: a mistake is corrected by a new line on the stock page."""

    list_display = ["at", "material", "kind", "quantity", "balance_after", "body", "by"]
    list_filter = ["kind", "material__kind"]
    search_fields = ["material__title", "body__name", "note"]
    list_select_related = ["material", "body", "by"]


@admin.register(Placement)
class PlacementAdmin(ReadOnlyHistoryAdmin):
    list_display = ["body", "material", "spot", "quantity", "since", "status"]
    list_filter = ["status", "spot", "body__in_city"]
    search_fields = ["body__name", "material__title"]
    list_select_related = ["body", "material"]


@admin.register(RestockRequest)
class RestockRequestAdmin(ReadOnlyHistoryAdmin):
    list_display = ["placement", "level", "requested_at", "closed_at"]
    list_filter = ["level", "closed_at"]
    search_fields = ["placement__body__name", "placement__material__title"]


@admin.register(PlacementConfirmation)
class PlacementConfirmationAdmin(ReadOnlyHistoryAdmin):
    list_display = ["body", "fiscal_year", "confirmed_at", "active_count"]
    list_filter = ["fiscal_year"]
    search_fields = ["body__name"]


@admin.register(Event)
class EventAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "kind", "starts_at", "place", "capacity", "audience", "organiser", "is_cancelled"]
    list_filter = ["kind", "audience", "is_cancelled"]
    search_fields = ["title", "place"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyHistoryAdmin):
    """Registrants are personal data: the admin only looks (the site logs its reads)."""

    list_display = ["event", "body", "status", "attended", "certificate_serial", "registered_at"]
    list_filter = ["status", "attended", "event__kind"]
    search_fields = ["event__title", "body__name", "certificate_serial"]
    list_select_related = ["event", "body"]


@admin.register(CertificateCounter)
class CertificateCounterAdmin(ReadOnlyHistoryAdmin):
    list_display = ["fiscal_year", "last"]
    list_filter = ["fiscal_year"]
    search_fields = ["fiscal_year"]


@admin.register(Post)
class PostAdmin(ReadOnlyHistoryAdmin):
    """Pin and hide on the site (logged, with history); the admin only looks."""

    list_display = ["title", "category", "author_body", "created_at", "is_pinned", "is_hidden"]
    list_filter = ["category", "is_pinned", "is_hidden"]
    search_fields = ["title", "author_body__name"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyHistoryAdmin):
    list_display = ["post", "author_body", "created_at", "is_hidden"]
    list_filter = ["is_hidden"]
    search_fields = ["post__title", "author_body__name"]


@admin.register(PostReport)
class PostReportAdmin(ReadOnlyHistoryAdmin):
    list_display = ["post", "reported_at"]
    list_filter = ["reported_at"]
    search_fields = ["post__title", "reason"]


@admin.register(DigestChoice)
class DigestChoiceAdmin(ReadOnlyHistoryAdmin):
    list_display = ["body", "frequency"]
    list_filter = ["frequency"]
    search_fields = ["body__name"]


@admin.register(ActivityReport)
class ActivityReportAdmin(ReadOnlyHistoryAdmin):
    list_display = ["body", "fiscal_year", "posters", "leaflets", "event_attendees", "gatekeepers", "submitted_at"]
    list_filter = ["fiscal_year"]
    search_fields = ["body__name"]
