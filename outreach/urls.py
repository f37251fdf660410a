from django.urls import path

from outreach import views

app_name = "outreach"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("mine/", views.my_outreach, name="my_outreach"),
    # The catalogue and the stock ledger.
    path("materials/", views.material_list, name="material_list"),
    path("materials/new/", views.material_create, name="material_create"),
    path("materials/<int:pk>/", views.material_detail, name="material_detail"),
    path("materials/<int:pk>/edit/", views.material_update, name="material_update"),
    path("materials/<int:pk>/print-file/", views.material_print_file, name="material_print_file"),
    path("materials/<int:pk>/thumbnail/", views.material_thumbnail, name="material_thumbnail"),
    path("materials/<int:pk>/movements/", views.stock_movement_create, name="stock_movement_create"),
    path("materials/<int:pk>/ship/", views.stock_ship, name="stock_ship"),
    # Placements and restock requests.
    path("placements/", views.placement_list, name="placement_list"),
    path("placements.xlsx", views.placement_xlsx, name="placement_xlsx"),
    path("placements/confirm/", views.placements_confirm, name="placements_confirm"),
    path("placements/<int:pk>/restock/", views.restock_request_create, name="restock_request_create"),
    path("placements/<int:pk>/remove/", views.placement_remove, name="placement_remove"),
    path("restock/", views.restock_list, name="restock_list"),
    path("restock/<int:pk>/ship/", views.restock_ship, name="restock_ship"),
    # Events, registrations, attendance, certificates, the gatekeeper roster.
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<uuid:uuid>/", views.event_detail, name="event_detail"),
    path("events/<uuid:uuid>/edit/", views.event_update, name="event_update"),
    path("events/<uuid:uuid>/register/", views.event_register, name="event_register"),
    path("events/<uuid:uuid>/attendance/", views.event_attendance, name="event_attendance"),
    path("events/<uuid:uuid>/attendance.xlsx", views.event_attendance_xlsx, name="event_attendance_xlsx"),
    path("registrations/<uuid:uuid>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("registrations/<uuid:uuid>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("gatekeepers/", views.gatekeeper_roster, name="gatekeeper_roster"),
    path("gatekeepers.xlsx", views.gatekeeper_roster_xlsx, name="gatekeeper_roster_xlsx"),
    # Activity reports per 年度.
    path("reports/", views.activity_report_list, name="activity_report_list"),
    path("reports/remind/", views.activity_report_remind, name="activity_report_remind"),
    path("reports/mine/", views.activity_report_edit, name="activity_report_edit"),
    # The bulletin (情報共有).
    path("bulletin/", views.post_list, name="post_list"),
    path("bulletin/new/", views.post_create, name="post_create"),
    path("bulletin/digest/", views.digest_choice, name="digest_choice"),
    path("bulletin/<uuid:uuid>/", views.post_detail, name="post_detail"),
    path("bulletin/<uuid:uuid>/attachment/", views.post_attachment, name="post_attachment"),
    path("bulletin/<uuid:uuid>/comments/", views.comment_create, name="comment_create"),
    path("bulletin/<uuid:uuid>/pin/", views.post_pin, name="post_pin"),
    path("bulletin/<uuid:uuid>/hide/", views.post_hide, name="post_hide"),
    path("bulletin/<uuid:uuid>/report/", views.post_report, name="post_report"),
    # Public pages (printed on event flyers): no sign-in.
    path("public/events/<uuid:uuid>/", views.public_register, name="public_register"),
    path("public/done/", views.public_done, name="public_done"),
    path("public/cancel/<str:token>/", views.public_cancel, name="public_cancel"),
]
