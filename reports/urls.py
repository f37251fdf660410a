from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("network/", views.network_report_view, name="network_report"),
    path("network.xlsx", views.network_report_xlsx, name="network_report_xlsx"),
    path("network/pdf/", views.network_report_pdf, name="network_report_pdf"),
    path("cases/", views.case_report_view, name="case_report"),
    path("cases.xlsx", views.case_report_xlsx, name="case_report_xlsx"),
    path("cases/pdf/", views.case_report_pdf, name="case_report_pdf"),
]
