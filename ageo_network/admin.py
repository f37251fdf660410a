"""Admin bases for rows the services write and the admin only shows."""

from django.contrib import admin

from ageo_network.history import HistoryAdmin


class ReadOnlyMixin:
    """The admin may look, never change or delete; it adds only where `can_add` says so."""

    can_add = False

    def has_add_permission(self, request):
        return self.can_add and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Append-only records that keep no history of their own (the access log, sign-in events)."""


class ReadOnlyHistoryAdmin(ReadOnlyMixin, HistoryAdmin):
    """Tracked rows written only by services; their history pages can be looked at."""


class AppendOnlyHistoryAdmin(ReadOnlyHistoryAdmin):
    """Tracked records the admin may add but never change or delete (evidence)."""

    can_add = True
