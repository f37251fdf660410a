from django.contrib import admin

from ageo_network.admin import ReadOnlyAdmin
from audit.models import AccessLog, SignInEvent


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
