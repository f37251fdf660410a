import datetime
import io

import openpyxl
from django.utils import timezone

from ageo_network.spreadsheets import xlsx_bytes


def test_xlsx_writes_text_as_text_dates_as_dates_and_no_formula():
    aware = timezone.make_aware(datetime.datetime(2024, 11, 26, 14, 30))
    rows = [
        ['=HYPERLINK("http://evil.example")', "+1+cmd|' /C calc'!A0", datetime.date(2024, 7, 1), aware, 3, None],
        ["上尾市PTA連合会", "048-775-1234", None, None, None, "@SUM(1+1)"],
    ]
    content = xlsx_bytes(["名称", "住所", "加入日", "日時", "数", "備考"], rows, sheet_title="名簿", widths=[30, 20])
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.title == "名簿" and sheet.freeze_panes == "A2"
    assert sheet["A1"].value == "名称" and sheet["A1"].font.b
    assert sheet.column_dimensions["A"].width == 30
    assert sheet["A2"].value == '\'=HYPERLINK("http://evil.example")'
    assert sheet["B2"].value == "'+1+cmd|' /C calc'!A0"
    assert sheet["C2"].value == datetime.datetime(2024, 7, 1) and sheet["C2"].number_format == "yyyy/mm/dd"
    assert sheet["D2"].value == datetime.datetime(2024, 11, 26, 14, 30)  # local time, as Excel shows it
    assert sheet["E2"].value == 3
    assert sheet["B3"].value == "048-775-1234" and sheet["B3"].data_type == "s"
    assert sheet["F3"].value == "'@SUM(1+1)"
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate


def test_xlsx_of_many_rows_is_written_row_by_row():
    rows = ([f"事業所{n}", n, datetime.date(2024, 4, 1)] for n in range(5_000))
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(["名称", "番号", "日"], rows, sheet_title="x")))
    assert workbook.active.max_row == 5_001
    assert workbook.active["A5001"].value == "事業所4999"
