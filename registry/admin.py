from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from ageo_network.admin import AppendOnlyHistoryAdmin, ReadOnlyHistoryAdmin
from ageo_network.history import HistoryAdmin
from registry import services
from registry.models import (
    ARTICLE_10_TEXT,
    AnnualReview,
    AnnualReviewEntry,
    Application,
    Body,
    BodyActivity,
    BodyPledge,
    Person,
    PersonPledge,
    PledgeVersion,
    ReferenceCounter,
    WithdrawalRequest,
)


@admin.register(Body)
class BodyAdmin(HistoryAdmin):
    list_display = ["name", "kind", "division", "section", "in_city", "status", "joined_on", "left_on"]
    list_filter = ["kind", "status", "in_city"]
    search_fields = ["name", "name_kana", "division", "section"]


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    list_display = ["name", "body", "role", "started_on", "left_on"]
    list_filter = ["role", "body__kind"]
    search_fields = ["name", "name_kana", "user__username", "body__name"]
    list_select_related = ["body", "user"]
    raw_id_fields = ["user", "body"]

    def save_model(self, request, obj, form, change):
        # A role change goes through the service, which moves the account's group with it.
        if change and "role" in form.changed_data:
            new_role, obj.role = obj.role, form.initial["role"]
            super().save_model(request, obj, form, change)
            services.person_role_change(person=obj, role=new_role, by=request.user)
        else:
            super().save_model(request, obj, form, change)
            if not change:
                obj.user.groups.set([services.role_group(obj.role)])


@admin.register(PledgeVersion)
class PledgeVersionAdmin(AppendOnlyHistoryAdmin):
    """Publishing a new version sends every person back to the pledge page until they accept it.

    Pledge records are evidence under Art. 10: they are added, never edited or deleted.
    """

    list_display = ["number", "published_at"]
    search_fields = ["text"]
    list_filter = ["published_at"]

    def get_changeform_initial_data(self, request):
        current = PledgeVersion.current()
        return {"number": (current.number + 1) if current else 1, "text": current.text if current else ARTICLE_10_TEXT}


@admin.register(PersonPledge)
class PersonPledgeAdmin(ReadOnlyHistoryAdmin):
    """People accept for themselves on the pledge page; nobody adds an acceptance for them here."""

    list_display = ["person", "version", "accepted_at", "ip"]
    list_filter = ["version", "person__body__kind"]
    search_fields = ["person__name", "person__body__name"]
    list_select_related = ["person__body", "version"]


@admin.register(BodyPledge)
class BodyPledgeAdmin(AppendOnlyHistoryAdmin):
    """Evidence under Art. 10: the secretariat records a body's acceptance; nobody edits or deletes one."""

    list_display = ["body", "version", "accepted_at", "accepted_by_name", "source", "recorded_by"]
    list_filter = ["source", "version", "body__kind"]
    search_fields = ["body__name", "accepted_by_name"]
    list_select_related = ["body", "version", "recorded_by"]
    fields = ["body", "version", "accepted_at", "accepted_by_name"]
    raw_id_fields = ["body"]

    def save_model(self, request, obj, form, change):
        obj.source = BodyPledge.Source.SECRETARIAT
        obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Application)
class ApplicationAdmin(HistoryAdmin):
    """The review queue in the admin; decisions go through registry.services like the queue page."""

    list_display = ["reference", "name", "business_kind", "in_city", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "business_kind", "in_city"]
    search_fields = ["reference", "name", "name_kana", "email", "phone"]
    date_hierarchy = "submitted_at"
    actions = ["approve_selected"]

    def get_readonly_fields(self, request, obj=None):
        # Every change goes through the services so that it leaves history and emails.
        return [field.name for field in Application._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="選択した申請を承認する", permissions=["change"])
    def approve_selected(self, request, queryset):
        for application in queryset.filter(status=Application.Status.PENDING):
            try:
                services.application_approve(application=application, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{application.reference}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, f"{application.reference} を承認しました。", messages.SUCCESS)


@admin.register(WithdrawalRequest)
class WithdrawalRequestAdmin(HistoryAdmin):
    list_display = ["body", "requested_at", "wished_on", "processed_at"]
    list_filter = ["processed_at", "requested_at"]
    search_fields = ["body__name"]
    list_select_related = ["body"]
    readonly_fields = ["body", "requested_by", "requested_at", "wished_on", "reason", "processed_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BodyActivity)
class BodyActivityAdmin(ReadOnlyHistoryAdmin):
    list_display = ["body", "activity"]
    list_filter = ["activity", "body__status"]
    search_fields = ["body__name", "body__name_kana"]
    list_select_related = ["body"]


@admin.register(ReferenceCounter)
class ReferenceCounterAdmin(ReadOnlyHistoryAdmin):
    list_display = ["fiscal_year", "last"]
    list_filter = ["fiscal_year"]
    search_fields = ["fiscal_year"]


@admin.register(AnnualReview)
class AnnualReviewAdmin(ReadOnlyHistoryAdmin):
    """Answers are given on the body's review page (registry.services.annual_review_answer)."""

    list_display = ["body", "fiscal_year", "answered_at", "answered_by"]
    list_filter = ["fiscal_year", "body__kind"]
    search_fields = ["body__name"]
    list_select_related = ["body", "answered_by"]


@admin.register(AnnualReviewEntry)
class AnnualReviewEntryAdmin(ReadOnlyHistoryAdmin):
    list_display = ["review", "person", "continues"]
    list_filter = ["continues", "review__fiscal_year"]
    search_fields = ["person__name", "review__body__name"]
    list_select_related = ["review__body", "person__body"]
