"""The roster (名簿) as files: the PDF handed out on paper, and the CSV and xlsx exports."""

from ageo_network.documents import CSV, XLSX, Document
from ageo_network.pdf import pdf_document
from ageo_network.spreadsheets import csv_bytes, xlsx_bytes
from audit.exports import register_export
from registry.models import Body

ROSTER_TITLE = "上尾市困難女性支援ネットワーク 構成機関名簿"
ROSTER_HEADER = [
    "名称",
    "フリガナ",
    "種別",
    "事業所の種類",
    "代表者",
    "部",
    "課",
    "郵便番号",
    "所在地",
    "電話番号",
    "メールアドレス",
    "ウェブサイト",
    "市内外",
    "状態",
    "加入日",
    "退会日",
    "協力できること",
]
ROSTER_WIDTHS = [36, 30, 16, 20, 14, 14, 22, 10, 36, 14, 28, 28, 8, 12, 12, 12, 50]


def roster_pdf_document(*, today) -> Document:
    """Every body, members grouped by kind, former members apart; landscape A4, dates in 和暦."""
    bodies = list(Body.objects.order_by("kind", "name_kana", "name").prefetch_related("activities"))
    for body in bodies:
        body.activity_displays = [a.get_activity_display() for a in body.activities.all()]
    active = [b for b in bodies if b.is_active]
    groups = [(label, [b for b in active if b.kind == kind]) for kind, label in Body.Kind.choices]
    context = {
        "title": ROSTER_TITLE,
        "issued": today,
        "wide": True,
        "groups": groups,
        "former": [b for b in bodies if not b.is_active],
        "today": today,
        "total": len(active),
    }
    return pdf_document(f"roster-{today:%Y%m%d}.pdf", "pdf/roster.html", context)


def roster_rows(bodies):
    """One export row per body; `bodies` carry `activity_labels` (registry.views.with_activity_labels)."""
    for body in bodies:
        activities = "、".join(body.activity_labels)
        if body.activity_other:
            activities = f"{activities}（{body.activity_other}）" if activities else body.activity_other
        yield [
            body.name,
            body.name_kana,
            body.get_kind_display(),
            body.get_business_kind_display(),
            body.representative,
            body.division,
            body.section,
            body.postal_code,
            body.address,
            body.phone,
            body.email,
            body.website,
            "市内" if body.in_city else "市外",
            body.get_status_display(),
            body.joined_on,
            body.left_on,
            activities,
        ]


def roster_csv_document(bodies, *, today) -> Document:
    return Document(f"roster-{today:%Y%m%d}.csv", CSV, csv_bytes(ROSTER_HEADER, roster_rows(bodies)))


def roster_xlsx_document(bodies, *, today) -> Document:
    content = xlsx_bytes(
        ROSTER_HEADER,
        roster_rows(bodies),
        sheet_title="構成機関名簿",
        title=f"構成機関名簿 {today:%Y-%m-%d}",
        widths=ROSTER_WIDTHS,
    )
    return Document(f"roster-{today:%Y%m%d}.xlsx", XLSX, content)


ROSTER_PDF = "registry.roster.pdf"


def roster_pdf_export(download, out) -> tuple[str, str]:
    """The prepared-download builder of the roster PDF; the requester's roster right is checked again here."""
    from django.core.exceptions import PermissionDenied
    from django.utils import timezone

    from registry.roles import ROSTER_ROLES, has_role

    if not has_role(download.user, ROSTER_ROLES):
        raise PermissionDenied
    document = roster_pdf_document(today=timezone.localdate())
    out.write(document.content)
    return document.filename, document.content_type


register_export(ROSTER_PDF, roster_pdf_export)
