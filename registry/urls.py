from django.urls import path

from registry import views

app_name = "registry"

urlpatterns = [
    path("bodies/", views.body_list, name="body_list"),
    path("bodies/<int:pk>/", views.body_detail, name="body_detail"),
    path("bodies/<int:pk>/edit/", views.body_update, name="body_update"),
    path("roster.pdf", views.roster_pdf, name="roster_pdf"),
    path("pledge/", views.pledge, name="pledge"),
]
