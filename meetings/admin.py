"""Meetings in the Django admin: metadata only, read-only (the system administrator maintains the site).
No agenda text, minutes, review sheet or attendee of an Art. 9 meeting is shown here."""

from django.contrib import admin

from ageo_network.admin import ReadOnlyHistoryAdmin
from meetings.models import Invitation, Meeting, Minutes


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "kind", "date", "status", "invitations_sent_at"]
    list_filter = ["kind", "status", "fiscal_year"]
    fields = ["uuid", "kind", "fiscal_year", "number", "date", "start_time", "end_time", "status", "sequence"]
    readonly_fields = fields


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyHistoryAdmin):
    list_display = ["meeting", "body", "status", "answered_at"]
    list_select_related = ["meeting", "body"]
    fields = ["uuid", "meeting", "body", "status", "answered_at"]
    readonly_fields = fields


@admin.register(Minutes)
class MinutesAdmin(ReadOnlyHistoryAdmin):
    list_display = ["meeting", "status", "approved_at", "locked_at", "published_at"]
    list_select_related = ["meeting"]
    fields = ["meeting", "status", "approved_at", "locked_at", "published_at", "pdf_sha256", "content_sha256"]
    readonly_fields = fields
