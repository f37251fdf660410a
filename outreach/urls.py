from django.urls import path

from outreach.views import bulletin, events, reports, stock

app_name = "outreach"

urlpatterns = [
    path("", stock.dashboard, name="dashboard"),
    path("mine/", stock.my_outreach, name="my_outreach"),
    # The catalogue and the stock ledger.
    path("materials/", stock.material_list, name="material_list"),
    path("materials/new/", stock.material_create, name="material_create"),
    path("materials/<int:pk>/", stock.material_detail, name="material_detail"),
    path("materials/<int:pk>/edit/", stock.material_update, name="material_update"),
    path("materials/<int:pk>/print-file/", stock.material_print_file, name="material_print_file"),
    path("materials/<int:pk>/thumbnail/", stock.material_thumbnail, name="material_thumbnail"),
    path("materials/<int:pk>/movements/", stock.stock_movement_create, name="stock_movement_create"),
    path("materials/<int:pk>/ship/", stock.stock_ship, name="stock_ship"),
    # Placements and restock requests.
    path("placements/", stock.placement_list, name="placement_list"),
    path("placements.xlsx", stock.placement_xlsx, name="placement_xlsx"),
    path("placements/confirm/", stock.placements_confirm, name="placements_confirm"),
    path("placements/<int:pk>/restock/", stock.restock_request_create, name="restock_request_create"),
    path("placements/<int:pk>/remove/", stock.placement_remove, name="placement_remove"),
    path("restock/", stock.restock_list, name="restock_list"),
    path("restock/<int:pk>/ship/", stock.restock_ship, name="restock_ship"),
    # Events, registrations, attendance, certificates, the gatekeeper roster.
    path("events/", events.event_list, name="event_list"),
    path("events/new/", events.event_create, name="event_create"),
    path("events/<uuid:uuid>/", events.event_detail, name="event_detail"),
    path("events/<uuid:uuid>/edit/", events.event_update, name="event_update"),
    path("events/<uuid:uuid>/cancel/", events.event_cancel, name="event_cancel"),
    path("events/<uuid:uuid>/register/", events.event_register, name="event_register"),
    path("events/<uuid:uuid>/attendance/", events.event_attendance, name="event_attendance"),
    path("events/<uuid:uuid>/attendance.xlsx", events.event_attendance_xlsx, name="event_attendance_xlsx"),
    path("registrations/<uuid:uuid>/cancel/", events.registration_cancel, name="registration_cancel"),
    path("registrations/<uuid:uuid>/certificate.pdf", events.certificate_pdf, name="certificate_pdf"),
    path("gatekeepers/", events.gatekeeper_roster, name="gatekeeper_roster"),
    path("gatekeepers.xlsx", events.gatekeeper_roster_xlsx, name="gatekeeper_roster_xlsx"),
    # Activity reports per 年度.
    path("reports/", reports.activity_report_list, name="activity_report_list"),
    path("reports/remind/", reports.activity_report_remind, name="activity_report_remind"),
    path("reports/mine/", reports.activity_report_edit, name="activity_report_edit"),
    # The bulletin (情報共有).
    path("bulletin/", bulletin.post_list, name="post_list"),
    path("bulletin/new/", bulletin.post_create, name="post_create"),
    path("bulletin/digest/", bulletin.digest_choice, name="digest_choice"),
    path("bulletin/<uuid:uuid>/", bulletin.post_detail, name="post_detail"),
    path("bulletin/<uuid:uuid>/attachment/", bulletin.post_attachment, name="post_attachment"),
    path("bulletin/<uuid:uuid>/comments/", bulletin.comment_create, name="comment_create"),
    path("bulletin/<uuid:uuid>/pin/", bulletin.post_pin, name="post_pin"),
    path("bulletin/<uuid:uuid>/hide/", bulletin.post_hide, name="post_hide"),
    path("bulletin/<uuid:uuid>/report/", bulletin.post_report, name="post_report"),
    path("bulletin/comments/<int:pk>/hide/", bulletin.comment_hide, name="comment_hide"),
    # Public pages (printed on event flyers): no sign-in.
    path("public/events/", events.public_event_list, name="public_event_list"),
    path("public/events/<uuid:uuid>/", events.public_register, name="public_register"),
    path("public/done/", events.public_done, name="public_done"),
    path("public/cancel/<str:token>/", events.public_cancel, name="public_cancel"),
]
