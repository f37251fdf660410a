from django.urls import path

from registry import views

app_name = "registry"

urlpatterns = [
    path("bodies/", views.body_list, name="body_list"),
    path("bodies/<int:pk>/", views.body_detail, name="body_detail"),
    path("bodies/<int:pk>/edit/", views.body_update, name="body_update"),
    path("bodies/<int:pk>/withdraw/", views.body_withdraw, name="body_withdraw"),
    path("bodies/<int:pk>/review-done/", views.body_review_clear, name="body_review_clear"),
    path("people/<int:pk>/activation/", views.person_activation_resend, name="person_activation_resend"),
    path("roster.pdf", views.roster_pdf, name="roster_pdf"),
    path("roster.xlsx", views.roster_xlsx, name="roster_xlsx"),
    path("roster.csv", views.roster_csv, name="roster_csv"),
    path("pledge/", views.pledge, name="pledge"),
    # Public pages. The signup and roster addresses are printed on leaflets: never change them.
    path("signup/", views.signup, name="signup"),
    path("signup/done/", views.signup_done, name="signup_done"),
    path("signup/revise/<str:token>/", views.application_revise, name="application_revise"),
    path("roster/", views.roster_public, name="roster_public"),
    path("activate/<uidb64>/<token>/", views.activate, name="activate"),
    # The secretariat's review queue.
    path("applications/", views.application_list, name="application_list"),
    path("applications/<uuid:uuid>/", views.application_detail, name="application_detail"),
    path("applications/<uuid:uuid>/approve/", views.application_approve, name="application_approve"),
    path(
        "applications/<uuid:uuid>/request-changes/",
        views.application_request_changes,
        name="application_request_changes",
    ),
    path("applications/<uuid:uuid>/reject/", views.application_reject, name="application_reject"),
    # A business member's own pages.
    path("business/", views.business_home, name="business_home"),
    path("business/edit/", views.business_profile, name="business_profile"),
    path("business/withdraw/", views.business_withdraw_request, name="business_withdraw_request"),
]
