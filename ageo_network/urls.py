from django.contrib import admin
from django.urls import include, path
from django.views.decorators.http import require_GET
from django.views.generic import RedirectView

from ageo_network import views

admin.site.site_header = "上尾市困難女性支援ネットワーク 管理"
admin.site.site_title = "ネットワーク管理"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("registry/", include("registry.urls")),
    path("meetings/", include("meetings.urls")),
    path("cases/", include("cases.urls")),
    path("outreach/", include("outreach.urls")),
    path("reports/", include("reports.urls")),
    path("audit/", include("audit.urls")),
    # The admin's own password form would skip the sign-in log: send it to ours.
    path(
        "admin/password_change/",
        require_GET(RedirectView.as_view(pattern_name="password_change")),
        name="admin_password_change",
    ),
    path("admin/", admin.site.urls),
]

handler403 = "ageo_network.views.permission_denied"
handler404 = "ageo_network.views.page_not_found"
handler500 = "ageo_network.views.server_error"
