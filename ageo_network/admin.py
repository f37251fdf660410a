"""Admin bases for rows the services write and the admin only shows, and the task queue's admin."""

from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

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


# A queued email's arguments hold its address and body (a password-set link, for one): the
# task-result admin shows what ran and how it ended, never those. Importing django_tasks_db.admin
# above has registered its admin already, whatever the order of INSTALLED_APPS.
admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    search_fields = ["task_path", "exception_class_path"]

    def get_readonly_fields(self, request, obj=None):
        return [name for name in super().get_readonly_fields(request, obj) if name != "args_kwargs"]
