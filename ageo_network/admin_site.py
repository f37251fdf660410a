"""The project's admin site (wiring, like urls.py): Django's, with the "view on site" shortcut closed
for confidential models.

Django's `/admin/r/<content_type>/<pk>/` turns an integer pk into the object's page. For a case or a
referral that would be an unlogged way to learn whether a sequential id exists (302 or 404) and to
reach its opaque URL: it answers 404 for the confidential apps, with a denied row on the case side.
"""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.urls import URLPattern

from audit.access import CASE_APPS
from audit.models import AccessLog
from audit.services import refuse


def guarded_shortcut(request, content_type_id, object_id):
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    if content_type is not None and content_type.app_label in CASE_APPS:
        refuse(
            request,
            action=AccessLog.Action.VIEW,
            scope=AccessLog.Scope.CASE,
            object_type=f"{content_type.app_label}.{content_type.model}",
            object_id=str(object_id)[:64],
            reason="管理画面のショートカット",
        )
    return shortcut(request, content_type_id, object_id)


class NetworkAdminSite(admin.AdminSite):
    def get_urls(self):
        urls = super().get_urls()
        for index, pattern in enumerate(urls):
            if isinstance(pattern, URLPattern) and pattern.name == "view_on_site":
                urls[index] = URLPattern(pattern.pattern, self.admin_view(guarded_shortcut), name="view_on_site")
        return urls
