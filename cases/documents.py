"""The case summary PDF: hub only, watermarked on every page with the reader's name and the time."""

from django.utils import timezone

from ageo_network.documents import Document
from ageo_network.pdf import pdf_document
from audit.exports import register_export
from cases import selectors


def reader_label(user) -> str:
    person = getattr(user, "person", None)
    return person.name if person is not None else user.get_username()


def case_summary_document(case, *, reader, at, include_protected: bool = False) -> Document:
    """The summary, named by the case number only. Under 住民票の支援措置 the address, phone and
    safe-contact details stay off paper unless `include_protected` (the reader gave a logged reason)."""
    at = timezone.localtime(at)
    context = {
        "title": f"ケース概要 {case.number}",
        "issued": at,
        "handling": True,
        "reader": reader_label(reader),
        "at": at,
        "case": case,
        "withheld": case.address_protection and not include_protected,
        "assignments": case.assignments.filter(ended_at__isnull=True).select_related("person"),
        "plan_items": case.plan_items.select_related("responsible_body"),
        "consents": case.consents.select_related("body"),
        "timeline": selectors.case_timeline(case),
    }
    return pdf_document(f"{case.number}.pdf", "pdf/case_summary.html", context)


CASE_SUMMARY_PDF = "cases.case_summary.pdf"


def case_summary_export(download, out) -> tuple[str, str]:
    """The prepared-download builder of a long case's summary; the requester's export basis is checked again."""
    from django.core.exceptions import PermissionDenied

    from cases import access
    from cases.models import Case

    case = Case.objects.get(uuid=download.params["case"])
    if not access.can_export(access.case_basis(download.user, case)):
        raise PermissionDenied
    include_protected = bool(download.params.get("include_protected"))
    document = case_summary_document(case, reader=download.user, at=timezone.now(), include_protected=include_protected)
    out.write(document.content)
    return document.filename, document.content_type


register_export(CASE_SUMMARY_PDF, case_summary_export)
