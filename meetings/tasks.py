"""Background work of the meetings app (django.tasks; the worker runs it, the tests at commit)."""

from django.tasks import task

from registry.system import system_user


@task()
def render_minutes_pdf(*, minutes_id: int) -> str:
    """Render approved minutes once and store the file with its SHA-256, which locks them."""
    from meetings import services
    from meetings.documents import minutes_pdf_document
    from meetings.models import Minutes

    minutes = Minutes.objects.select_related("meeting").get(pk=minutes_id)
    if minutes.pdf_path:
        return "already stored"
    document = minutes_pdf_document(minutes.meeting)
    services.minutes_store_pdf(minutes=minutes, content=document.content, by=system_user())
    return "stored"
