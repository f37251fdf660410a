"""CSV and xlsx that Japanese Excel opens without mojibake, and cells that never run as formulas."""

import csv
import datetime
import io

import openpyxl
from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """A text cell that starts like a formula gets a leading apostrophe, so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(neutralise_formula(value))


def csv_bytes(header: list[str], rows) -> bytes:
    """UTF-8 with BOM and CRLF line ends, as Excel for Japanese expects."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def write_csv(out, header: list[str], rows) -> None:
    """csv_bytes, streamed to the binary file `out` row by row: memory stays flat however many rows."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    text.write("\ufeff")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    text.flush()
    text.detach()  # leave `out` open for its owner


def xlsx_bytes(header: list[str], rows, *, sheet_title: str, title: str = "", widths: list[int] = ()) -> bytes:
    """One sheet, a bold frozen header row, every text cell stored as text (never a formula), dates as dates.

    Written in openpyxl's write-only mode, row by row, so memory and time grow linearly with the rows.
    `widths` are column widths in characters, in header order.
    """
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_xlsx_cell(sheet, label, font=bold) for label in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    if title:
        workbook.properties.title = title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet, value, *, font=None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=neutralise_formula(value))
    if isinstance(value, str):
        cell.data_type = "s"  # text, whatever it looks like
    elif isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            cell.value = timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
        cell.number_format = "yyyy/mm/dd hh:mm"
    elif isinstance(value, datetime.date):
        cell.number_format = "yyyy/mm/dd"
    if font is not None:
        cell.font = font
    return cell
