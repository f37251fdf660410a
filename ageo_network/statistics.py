"""Statistical tables of the fiscal-year reports: one small value type that the apps' `reports.py` modules
return, and what every report does with it — the comparison with the previous 年度, the chart, the xlsx
with one sheet per table. Imports no app.

A table is a title, its value columns and its rows (label, values); a value is a count, a percentage
(`float`) or `None` for "not applicable" (shown as －).
"""

import io
from dataclasses import dataclass, field, replace

import openpyxl
from django.utils.safestring import SafeString, mark_safe
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ageo_network.charts import Series, bar_chart
from ageo_network.spreadsheets import neutralise_formula

SUPPRESSED = "＊"  # a small count (1–2), or a cell hidden so that one cannot be recovered by subtraction
SMALL = (1, 2)
TOTAL = "合計"

Value = int | float | str | None


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[tuple[str, list[Value]]]
    unit: str = ""
    note: str = ""
    total: bool = True  # a 合計 row makes sense (counts of one population, not rates)
    about_women: bool = False  # counts of women or of information about them: suppressed wherever they leave the hub
    chart_columns: list[int] = field(default_factory=lambda: [0])  # which columns the chart draws

    def value(self, label: str, column: int = 0) -> Value:
        return dict(self.rows)[label][column]

    def with_total(self) -> "Table":
        """The rows with a 合計 row under them (for every column of counts)."""
        if not self.total or not self.rows:
            return self
        sums: list[Value] = []
        for index in range(len(self.columns)):
            column = [values[index] for _, values in self.rows]
            numeric = all(isinstance(v, int) for v in column)
            sums.append(sum(column) if numeric else None)
        return replace(self, rows=[*self.rows, (TOTAL, sums)], total=False)


def compare(current: Table, previous: Table, *, current_label: str, previous_label: str) -> Table:
    """A one-column table beside the same table of the previous 年度: columns (this year, last year, 増減)."""
    before = dict(previous.rows)
    rows = []
    for label, values in current.rows:
        now = values[0]
        then = before.get(label, [0])[0]
        change = now - then if isinstance(now, int) and isinstance(then, int) else None
        rows.append((label, [now, then, change]))
    return replace(
        current, columns=[current_label, previous_label, "増減"], rows=rows, chart_columns=[0, 1], total=current.total
    )


def suppress(table: Table) -> Table:
    """Small-cell suppression for figures that leave the hub (DOMAIN: counts of 1–2 show as ＊).

    `table` holds counts without a 合計 row; the result carries the 合計 row of the true totals (a table marked
    total=False gets none, and needs no partner: nothing can be subtracted). Per column:
    every count of 1 or 2 becomes ＊ (primary). The total minus the shown cells gives the sum of the ＊ cells,
    and a reader knows each is at least 1: one ＊ alone, or ＊ cells summing to their number (all 1s), would
    be given away, so the smallest other positive count becomes ＊ too, or, when there is none, the total
    itself (complementary). A compared table's 増減 column (this year − last year) is ＊ wherever either year
    is. Not-applicable cells (None) and rates are left alone: tables passed here hold counts."""
    columns = len(table.columns)
    derived = columns == 3 and table.columns[2] == "増減"
    counted = [0, 1] if derived else list(range(columns))
    values = [list(v) for _, v in table.rows]
    totals: list[Value] = [
        sum(row[c] for row in values if isinstance(row[c], int)) if c in counted else None for c in range(columns)
    ]
    hidden = [[False] * columns for _ in values]
    total_hidden = [False] * columns
    for c in counted:
        for r, row in enumerate(values):
            if isinstance(row[c], int) and row[c] in SMALL:
                hidden[r][c] = True
        marked = [values[r][c] for r in range(len(values)) if hidden[r][c]]
        # Without a total nothing can be recovered by subtraction.
        if marked and (len(marked) == 1 or sum(marked) == len(marked)) and table.total:
            candidates = [
                (values[r][c], r)
                for r in range(len(values))
                if not hidden[r][c] and isinstance(values[r][c], int) and values[r][c] > 0
            ]
            if candidates:
                hidden[min(candidates)[1]][c] = True
            else:
                total_hidden[c] = True
    rows = []
    for (label, _), row, mask in zip(table.rows, values, hidden, strict=True):
        shown = [SUPPRESSED if mask[c] else row[c] for c in range(columns)]
        if derived:
            shown[2] = SUPPRESSED if (mask[0] or mask[1]) else row[2]
        rows.append((label, shown))
    note = _with_mark_note(table.note)
    if not table.total:
        return replace(table, rows=rows, note=note)
    total_row = [SUPPRESSED if total_hidden[c] else totals[c] for c in range(columns)]
    if derived:
        both = not (total_hidden[0] or total_hidden[1])
        total_row[2] = totals[0] - totals[1] if both else SUPPRESSED
    return replace(table, rows=[*rows, (TOTAL, total_row)], total=False, note=note)


def _with_mark_note(note: str) -> str:
    mark = "＊：1〜2件の数と、引き算でそれが分かってしまう数は、個人が特定されないよう＊で示しています。"
    return f"{note} {mark}".strip() if mark not in note else note


def chart(table: Table) -> SafeString:
    """The table's bar chart (the columns of `chart_columns`, side by side per row; no bar for a 合計 row)."""
    if not table.chart_columns:
        return mark_safe("")  # a table of figures that a bar would misrepresent (a median beside a count)
    rows = [(label, values) for label, values in table.rows if label != TOTAL]
    labels = [label for label, _ in rows]
    if len(table.chart_columns) == 1:
        index = table.chart_columns[0]
        return bar_chart(
            [(label, _number(values[index])) for label, values in rows], title=table.title, unit=table.unit
        )
    series = [Series(table.columns[i], [_number(values[i]) for _, values in rows]) for i in table.chart_columns]
    return bar_chart(title=table.title, labels=labels, series=series, unit=table.unit)


def _number(value: Value) -> int | None:
    if value == SUPPRESSED:
        return None  # the chart draws ＊ without a bar
    return int(round(value)) if isinstance(value, int | float) else 0


def display(value: Value) -> str:
    if value is None:
        return "－"
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return f"{value:.1f}"
    return f"{value:,}"


def tables_xlsx(tables: list[Table], *, title: str) -> bytes:
    """One sheet per table: the title, a bold frozen header, numbers as numbers (a rate as a number with one
    decimal), － as text where a value does not apply. Sheet names are the tables' titles (31 characters)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    used: set[str] = set()
    for table in tables:
        table = table.with_total()
        name = _sheet_name(table.title, used)
        sheet = workbook.create_sheet(name)
        sheet["A1"] = neutralise_formula(table.title)
        sheet["A1"].font = bold
        header = ["区分", *[f"{c}（{table.unit}）" if table.unit else c for c in table.columns]]
        for column, label in enumerate(header, start=1):
            cell = sheet.cell(row=2, column=column, value=neutralise_formula(label))
            cell.font = bold
        for row_index, (label, values) in enumerate(table.rows, start=3):
            sheet.cell(row=row_index, column=1, value=neutralise_formula(label)).data_type = "s"
            for column, value in enumerate(values, start=2):
                cell = sheet.cell(row=row_index, column=column, value="－" if value is None else value)
                if isinstance(value, float):
                    cell.number_format = "0.0"
        if table.note:
            sheet.cell(row=len(table.rows) + 4, column=1, value=neutralise_formula(table.note))
        sheet.freeze_panes = "B3"
        sheet.column_dimensions["A"].width = 34
        for column in range(2, len(header) + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 16
    workbook.properties.title = title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_name(title: str, used: set[str]) -> str:
    cleaned = "".join("・" if ch in "[]:*?/\\" else ch for ch in title)[:31]
    name, number = cleaned, 2
    while name in used:
        suffix = f"({number})"
        name, number = cleaned[: 31 - len(suffix)] + suffix, number + 1
    used.add(name)
    return name
