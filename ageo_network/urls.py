from django.contrib import admin
from django.urls import include, path

from ageo_network import views

admin.site.site_header = "上尾市困難女性支援ネットワーク 管理"
admin.site.site_title = "ネットワーク管理"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("registry/", include("registry.urls")),
    path("cases/", include("cases.urls")),
    path("audit/", include("audit.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "ageo_network.views.permission_denied"
handler404 = "ageo_network.views.page_not_found"
handler500 = "ageo_network.views.server_error"
