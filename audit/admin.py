from django.contrib import admin

from ageo_network.admin import ReadOnlyAdmin, ReadOnlyHistoryAdmin
from audit.models import AccessLog, PreparedDownload, SignInEvent, Tombstone


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "body", "action", "object_type", "object_label", "basis", "outcome", "ip"]
    list_filter = ["action", "basis", "outcome", "object_type"]
    search_fields = ["user__username", "object_label", "object_id"]
    list_select_related = ["user", "body"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        from audit.access import access_logs_visible_to

        return access_logs_visible_to(request.user) if not request.user.is_superuser else super().get_queryset(request)


@admin.register(SignInEvent)
class SignInEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "user", "username", "ip"]
    list_filter = ["kind"]
    search_fields = ["username", "user__username"]
    date_hierarchy = "at"


@admin.register(PreparedDownload)
class PreparedDownloadAdmin(ReadOnlyHistoryAdmin):
    """Who asked for which prepared file and when; the file itself is fetched only by its requester."""

    list_display = ["requested_at", "user", "kind", "status", "size", "expires_at"]
    list_filter = ["kind", "status"]
    search_fields = ["user__username", "kind", "object_label"]
    list_select_related = ["user"]
    exclude = ["params", "path"]


@admin.register(Tombstone)
class TombstoneAdmin(ReadOnlyAdmin):
    """What the retention purge removed: kind, number, rule, when. Never content."""

    list_display = ["purged_at", "kind", "identifier", "count", "rule"]
    list_filter = ["kind"]
    search_fields = ["identifier"]
    date_hierarchy = "purged_at"
