"""Meetings in the Django admin: metadata only, read-only (the system administrator maintains the site).
No agenda text, minutes text, review sheet content or correction is shown here: ids, dates, states and links."""

from django.contrib import admin

from ageo_network.admin import ReadOnlyHistoryAdmin
from meetings.models import (
    AgendaItem,
    Attendee,
    CalendarToken,
    Correction,
    DutyConfirmation,
    Erratum,
    FollowUpAction,
    Invitation,
    Material,
    Meeting,
    MeetingCounter,
    Minutes,
    ReviewSheet,
)


class MetadataAdmin(ReadOnlyHistoryAdmin):
    """Shows exactly `fields`, read-only."""

    fields: list[str] = []

    def get_readonly_fields(self, request, obj=None):
        return self.fields


@admin.register(Meeting)
class MeetingAdmin(MetadataAdmin):
    list_display = ["title", "kind", "date", "status", "invitations_sent_at"]
    list_filter = ["kind", "status", "fiscal_year"]
    search_fields = ["uuid"]
    fields = ["uuid", "kind", "fiscal_year", "number", "date", "start_time", "end_time", "status", "sequence"]


@admin.register(MeetingCounter)
class MeetingCounterAdmin(MetadataAdmin):
    list_display = ["kind", "fiscal_year", "last"]
    list_filter = ["kind", "fiscal_year"]
    search_fields = ["kind"]
    fields = ["kind", "fiscal_year", "last"]


@admin.register(Invitation)
class InvitationAdmin(MetadataAdmin):
    list_display = ["meeting", "body", "status", "answered_at"]
    list_select_related = ["meeting", "body"]
    list_filter = ["status", "meeting__kind"]
    search_fields = ["uuid", "body__name"]
    fields = ["uuid", "meeting", "body", "status", "answered_at"]


@admin.register(Attendee)
class AttendeeAdmin(MetadataAdmin):
    list_display = ["id", "meeting", "attendance", "pledge_received", "withdrawn"]
    list_select_related = ["meeting"]
    list_filter = ["attendance", "withdrawn", "meeting__kind"]
    search_fields = ["meeting__uuid"]
    fields = ["meeting", "invitation", "attendance", "pledge_received", "withdrawn"]


@admin.register(AgendaItem)
class AgendaItemAdmin(MetadataAdmin):
    list_display = ["id", "meeting", "position", "matter"]
    list_select_related = ["meeting"]
    list_filter = ["matter", "meeting__kind"]
    search_fields = ["meeting__uuid"]
    fields = ["meeting", "position", "matter", "planned_minutes"]


@admin.register(FollowUpAction)
class FollowUpActionAdmin(MetadataAdmin):
    list_display = ["id", "body", "due_on", "status"]
    list_select_related = ["body"]
    list_filter = ["status"]
    search_fields = ["body__name"]
    fields = ["agenda_item", "body", "due_on", "status", "done_at"]


@admin.register(Minutes)
class MinutesAdmin(MetadataAdmin):
    list_display = ["meeting", "status", "approved_at", "locked_at", "published_at"]
    list_select_related = ["meeting"]
    list_filter = ["status", "meeting__kind"]
    search_fields = ["meeting__uuid", "pdf_sha256"]
    fields = ["meeting", "status", "approved_at", "locked_at", "published_at", "pdf_sha256", "content_sha256"]


@admin.register(Correction)
class CorrectionAdmin(MetadataAdmin):
    list_display = ["uuid", "status", "proposed_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["uuid"]
    fields = ["uuid", "agenda_item", "status", "proposed_at", "decided_at"]


@admin.register(Erratum)
class ErratumAdmin(MetadataAdmin):
    list_display = ["minutes", "number", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["minutes__meeting__uuid"]
    fields = ["minutes", "number", "created_at"]


@admin.register(Material)
class MaterialAdmin(MetadataAdmin):
    list_display = ["uuid", "content_type", "size", "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["uuid", "sha256"]
    fields = ["uuid", "agenda_item", "content_type", "size", "sha256", "uploaded_at"]


@admin.register(CalendarToken)
class CalendarTokenAdmin(MetadataAdmin):
    # Never the token: it is the feed's only credential.
    list_display = ["person", "created_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["person__name"]
    fields = ["person", "created_at", "revoked_at"]


@admin.register(ReviewSheet)
class ReviewSheetAdmin(MetadataAdmin):
    # Never the packet (case content): the meeting, the case's opaque id and when.
    list_display = ["uuid", "meeting", "prepared_at"]
    list_select_related = ["meeting"]
    list_filter = ["address_protected"]
    search_fields = ["uuid"]
    fields = ["uuid", "meeting", "prepared_at"]


@admin.register(DutyConfirmation)
class DutyConfirmationAdmin(MetadataAdmin):
    list_display = ["meeting", "person", "confirmed_at"]
    list_select_related = ["meeting", "person"]
    list_filter = ["confirmed_at"]
    search_fields = ["person__name"]
    fields = ["meeting", "person", "confirmed_at"]
