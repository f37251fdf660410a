"""Outreach files: the gatekeeper training certificate (修了証) PDF, and the xlsx exports of the
placements, the gatekeeper roster and an event's attendance (the shared writer)."""

from django.utils import timezone

from ageo_network.documents import XLSX, Document
from ageo_network.pdf import pdf_document
from ageo_network.spreadsheets import xlsx_bytes
from ageo_network.wareki import wareki_date
from outreach.models import Registration

CERTIFICATE_TITLE = "修了証"


def certificate_pdf_document(registration: Registration) -> Document:
    """The 修了証 of one person present at a gatekeeper training: name, course, 和暦 date, serial number."""
    event = registration.event
    context = {
        "title": CERTIFICATE_TITLE,
        "page_class": "certificate-page",
        "issued": event.day,
        "registration": registration,
        "event": event,
        "body": registration.body,
    }
    return pdf_document(f"修了証-{registration.certificate_serial}.pdf", "pdf/certificate.html", context)


PLACEMENT_HEADER = [
    "機関",
    "市内外",
    "所在地",
    "啓発物",
    "種類",
    "言語",
    "年度版",
    "場所",
    "数量",
    "設置日",
    "状態",
    "撤去日",
]
PLACEMENT_WIDTHS = [34, 8, 36, 34, 12, 14, 8, 12, 8, 12, 8, 12]


def placements_xlsx_document(placements, *, today) -> Document:
    rows = (
        [
            p.body.name,
            "市内" if p.body.in_city else "市外",
            p.body.address,
            p.material.title,
            p.material.get_kind_display(),
            p.material.get_language_display(),
            p.material.edition,
            p.get_spot_display(),
            p.quantity,
            p.since,
            p.get_status_display(),
            p.removed_on,
        ]
        for p in placements
    )
    content = xlsx_bytes(
        PLACEMENT_HEADER, rows, sheet_title="設置一覧", title="啓発物の設置一覧", widths=PLACEMENT_WIDTHS
    )
    return Document(f"placements-{today:%Y%m%d}.xlsx", XLSX, content)


GATEKEEPER_HEADER = ["機関", "氏名", "フリガナ", "研修", "受講日", "受講日（和暦）", "修了証番号", "再受講の目安"]
GATEKEEPER_WIDTHS = [34, 18, 20, 34, 12, 18, 14, 14]


def gatekeeper_roster_xlsx_document(registrations, *, today) -> Document:
    from outreach.selectors import refresher_due

    rows = (
        [
            r.body.name,
            r.name,
            r.name_kana,
            r.event.title,
            r.event.day,
            wareki_date(r.event.day),
            r.certificate_serial,
            refresher_due(r.event.day),
        ]
        for r in registrations
    )
    content = xlsx_bytes(
        GATEKEEPER_HEADER, rows, sheet_title="ゲートキーパー名簿", title="ゲートキーパー名簿", widths=GATEKEEPER_WIDTHS
    )
    return Document(f"gatekeepers-{today:%Y%m%d}.xlsx", XLSX, content)


ATTENDANCE_HEADER = ["氏名", "フリガナ", "所属", "状態", "出欠", "修了証番号"]
ATTENDANCE_WIDTHS = [18, 20, 34, 12, 8, 14]


def attendance_xlsx_document(event, registrations) -> Document:
    rows = (
        [
            r.name,
            r.name_kana,
            r.body.name if r.body else "一般",
            r.get_status_display(),
            {True: "出席", False: "欠席"}.get(r.attended, ""),
            r.certificate_serial,
        ]
        for r in registrations
    )
    content = xlsx_bytes(ATTENDANCE_HEADER, rows, sheet_title="出欠", title=event.title, widths=ATTENDANCE_WIDTHS)
    day = timezone.localdate(event.starts_at)
    return Document(f"attendance-{day:%Y%m%d}.xlsx", XLSX, content)
