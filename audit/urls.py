from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("access/", views.access_log_list, name="accesslog_list"),
    path("access.csv", views.access_log_csv, name="accesslog_csv"),
    path("changes/", views.change_list, name="change_list"),
    path("signins/", views.signin_list, name="signin_list"),
    path("downloads/", views.download_list, name="download_list"),
    path("downloads/<uuid:uuid>/", views.download_file, name="download_file"),
]
