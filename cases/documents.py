"""The case summary PDF: hub only, watermarked on every page with the reader's name and the time."""

from django.utils import timezone

from ageo_network.pdf import render_pdf
from cases import selectors


def reader_label(user) -> str:
    person = getattr(user, "person", None)
    return person.name if person is not None else user.get_username()


def case_summary_document(case, *, reader, at) -> tuple[str, str, bytes]:
    """(file name, content type, bytes). The file name is the case number only."""
    context = {
        "case": case,
        "reader": reader_label(reader),
        "at": timezone.localtime(at),
        "assignments": case.assignments.filter(ended_at__isnull=True).select_related("person"),
        "plan_items": case.plan_items.select_related("responsible_body"),
        "consents": case.consents.select_related("body"),
        "timeline": selectors.case_timeline(case),
    }
    content = render_pdf("pdf/case_summary.html", context)
    return f"{case.number}.pdf", "application/pdf", content
