from django.contrib.admin import apps as admin_apps


class NetworkAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the project's admin site (ageo_network/admin_site.py)."""

    default = False  # the ageo_network app itself keeps a plain AppConfig
    default_site = "ageo_network.admin_site.NetworkAdminSite"
