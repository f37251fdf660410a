from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("new/", views.meeting_create, name="meeting_create"),
    path("published/", views.public_minutes_list, name="public_minutes_list"),
    path("published/<uuid:uuid>/minutes.pdf", views.public_minutes_pdf, name="public_minutes_pdf"),
    path("invitations/<uuid:uuid>/", views.invitation_answer, name="invitation_answer"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
    path("corrections/<uuid:uuid>/decide/", views.correction_decide, name="correction_decide"),
    path("<uuid:uuid>/", views.meeting_detail, name="meeting_detail"),
    path("<uuid:uuid>/edit/", views.meeting_update, name="meeting_update"),
    path("<uuid:uuid>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("<uuid:uuid>/invite/", views.meeting_invite, name="meeting_invite"),
    path("<uuid:uuid>/agenda/new/", views.agenda_item_create, name="agenda_item_create"),
    path("<uuid:uuid>/agenda/<int:pk>/", views.agenda_item_update, name="agenda_item_update"),
    path("<uuid:uuid>/agenda/<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("<uuid:uuid>/agenda/<int:pk>/corrections/new/", views.correction_create, name="correction_create"),
    path("<uuid:uuid>/attendance/", views.attendance, name="attendance"),
    path("<uuid:uuid>/attendance/external/", views.external_attendee_create, name="external_attendee_create"),
    path("<uuid:uuid>/minutes/circulate/", views.minutes_circulate, name="minutes_circulate"),
    path("<uuid:uuid>/minutes/confirm/", views.minutes_confirm, name="minutes_confirm"),
    path("<uuid:uuid>/minutes/remind/", views.minutes_remind, name="minutes_remind"),
    path("<uuid:uuid>/minutes/approve/", views.minutes_approve, name="minutes_approve"),
    path("<uuid:uuid>/minutes/errata/new/", views.erratum_create, name="erratum_create"),
    path("<uuid:uuid>/minutes/publish/", views.minutes_publish, name="minutes_publish"),
    path("<uuid:uuid>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("<uuid:uuid>/review-sheets/new/", views.review_sheet_create, name="review_sheet_create"),
    path("<uuid:uuid>/duty/", views.duty_confirm, name="duty_confirm"),
    path("review-sheets/<uuid:uuid>/", views.review_sheet_detail, name="review_sheet_detail"),
    path("<uuid:uuid>/agenda/<int:pk>/plan-item/", views.decision_plan_item, name="decision_plan_item"),
    path("<uuid:uuid>/agenda/<int:pk>/materials/new/", views.material_create, name="material_create"),
    path("materials/<uuid:uuid>/", views.material_download, name="material_download"),
    path("calendar/", views.calendar_settings, name="calendar_settings"),
    path("calendar/issue/", views.calendar_token_issue, name="calendar_token_issue"),
    path("calendar/revoke/", views.calendar_token_revoke, name="calendar_token_revoke"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
