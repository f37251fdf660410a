from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    # Information from partners (write-only for the sender) and the hub's intake queue
    path("information/new/", views.info_create, name="info_create"),
    path("information/sent/", views.info_sent_list, name="info_sent_list"),
    path("information/sent/<uuid:uuid>/", views.info_receipt, name="info_receipt"),
    path("intake/", views.intake_queue, name="intake_queue"),
    path("intake/<uuid:uuid>/", views.intake_detail, name="intake_detail"),
    path("intake/<uuid:uuid>/link/", views.intake_link, name="intake_link"),
    path("intake/<uuid:uuid>/open/", views.intake_open_case, name="intake_open_case"),
    path("intake/<uuid:uuid>/no-case/", views.intake_no_case, name="intake_no_case"),
    # Home screens
    path("", views.worker_home, name="worker_home"),
    path("supervisor/", views.supervisor_home, name="supervisor_home"),
    path("open/", views.open_case_list, name="open_case_list"),
    path("referrals/", views.referral_inbox, name="referral_inbox"),
    path("retention/", views.retention_list, name="retention_list"),
    # The case
    path("search/", views.case_search, name="case_search"),
    path("new/", views.case_create, name="case_create"),
    path("<uuid:uuid>/", views.case_detail, name="case_detail"),
    path("<uuid:uuid>/timeline/", views.case_timeline, name="case_timeline"),
    path("<uuid:uuid>/edit/", views.case_update, name="case_update"),
    path("<uuid:uuid>/stage/", views.case_stage, name="case_stage"),
    path("<uuid:uuid>/closure/", views.case_closure_request, name="case_closure_request"),
    path("<uuid:uuid>/closure/decide/", views.case_closure_decide, name="case_closure_decide"),
    path("<uuid:uuid>/reopen/", views.case_reopen, name="case_reopen"),
    path("<uuid:uuid>/assign/", views.case_assign, name="case_assign"),
    path("<uuid:uuid>/break-glass/", views.case_break_glass, name="case_break_glass"),
    path("<uuid:uuid>/hold/", views.legal_hold_create, name="legal_hold_create"),
    path("<uuid:uuid>/hold/lift/", views.legal_hold_lift, name="legal_hold_lift"),
    path("<uuid:uuid>/summary.pdf", views.case_pdf, name="case_pdf"),
    path("<uuid:uuid>/consultations/new/", views.consultation_create, name="consultation_create"),
    path("<uuid:uuid>/assessments/new/", views.assessment_create, name="assessment_create"),
    path("<uuid:uuid>/plan/new/", views.plan_item_create, name="plan_item_create"),
    path("<uuid:uuid>/plan/<int:pk>/", views.plan_item_update, name="plan_item_update"),
    path("<uuid:uuid>/plan/<int:pk>/referral/", views.referral_create, name="referral_create"),
    path("<uuid:uuid>/consents/new/", views.consent_create, name="consent_create"),
    path("<uuid:uuid>/consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("<uuid:uuid>/accompaniments/new/", views.accompaniment_create, name="accompaniment_create"),
    path("<uuid:uuid>/protection/new/", views.protection_create, name="protection_create"),
    path("<uuid:uuid>/follow-ups/new/", views.follow_up_create, name="follow_up_create"),
    path("<uuid:uuid>/follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    # The receiving body's view of a referral packet
    path("referrals/<uuid:uuid>/", views.referral_detail, name="referral_detail"),
    path("referrals/<uuid:uuid>/acknowledge/", views.referral_acknowledge, name="referral_acknowledge"),
    path("referrals/<uuid:uuid>/return/", views.referral_return, name="referral_return"),
]
