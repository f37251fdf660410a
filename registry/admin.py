from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from registry.models import Body, Person


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "division", "section", "in_city", "status", "joined_on", "left_on"]
    list_filter = ["kind", "status", "in_city"]
    search_fields = ["name", "name_kana", "division", "section"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "body", "role", "started_on", "left_on"]
    list_filter = ["role", "body__kind"]
    search_fields = ["name", "name_kana", "user__username", "body__name"]
    list_select_related = ["body", "user"]
    raw_id_fields = ["user", "body"]
