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
    # People of the bodies (人事異動): the secretariat's, and a business's own colleagues.
    path("bodies/<int:pk>/people/add/", views.person_add, name="person_add"),
    path("bodies/<int:pk>/people-limit/", views.body_people_limit, name="body_people_limit"),
    path("people/<int:pk>/role/", views.person_role_change, name="person_role_change"),
    path("people/<int:pk>/end/", views.person_end, name="person_end"),
    path("business/colleagues/add/", views.colleague_add, name="colleague_add"),
    path("business/colleagues/<int:pk>/end/", views.colleague_end, name="colleague_end"),
    # The 年度替わり review before 1 April.
    path("reviews/", views.annual_review_list, name="annual_review_list"),
    path("reviews/remind/", views.annual_review_remind, name="annual_review_remind"),
    path("reviews/bodies/<int:pk>/", views.annual_review_answer, name="annual_review_answer"),
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
