from tests.permission_matrix import MEMBERS, SECRETARIAT, SUPERVISOR, Row


def own_download_kwargs(w):
    """A ready file of the signed-in role (anonymous: someone's, which it cannot reach anyway)."""
    import datetime

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from ageo_network.uploads import private_storage
    from audit.models import AccessLog, PreparedDownload
    from tests.factories.registry import make_person

    person = w.people.get(w.role) or make_person()
    download = PreparedDownload.objects.create(
        user=person.user,
        kind="audit.accesslog.csv",
        title="閲覧記録（CSV）",
        scope=AccessLog.Scope.NETWORK,
        status=PreparedDownload.Status.READY,
        expires_at=timezone.now() + datetime.timedelta(hours=1),
        filename="x.csv",
        content_type="text/csv",
    )
    download.path = private_storage().save(f"downloads/{download.uuid}", ContentFile(b"a,b\r\n"))
    download.save(update_fields=["path"])
    return {"uuid": download.uuid}


AUDITORS = [SECRETARIAT, SUPERVISOR]

MATRIX = {
    "audit:accesslog_list": Row(ok=AUDITORS),
    "audit:accesslog_csv": Row(ok=AUDITORS, method="post", ok_status=302),
    "audit:download_list": Row(ok=MEMBERS, logged=False),
    "audit:download_file": Row(ok=MEMBERS, other=404, kwargs=own_download_kwargs),
    "audit:change_list": Row(ok=AUDITORS),
    "audit:signin_list": Row(ok=AUDITORS),
}
