"""The worker's side of prepared downloads (audit/exports.py)."""

from django.tasks import task

from audit.models import PreparedDownload


@task()
def build_download(download_id: int) -> str:
    from audit.exports import build

    download = PreparedDownload.objects.filter(pk=download_id, status=PreparedDownload.Status.QUEUED).first()
    if download is None:
        return "gone"  # pruned, or already built by an earlier attempt
    return build(download).status
