"""The report tables: totals, the comparison with the previous year, small-cell suppression, the xlsx."""

import io
import itertools

import openpyxl

from ageo_network.statistics import SUPPRESSED, Table, chart, compare, suppress, tables_xlsx


def _table(rows, columns=("件数",)):
    return Table("t", "テスト", list(columns), [(label, list(values)) for label, values in rows])


def _recoverable(table: Table) -> bool:
    """Whether the ＊ cells can be worked out from the shown cells of their column and the shown total, by a
    reader who knows that a ＊ hides a positive count: one ＊ alone, or ＊ cells whose sum (total − shown) equals
    their number, so that every one is 1."""
    *body, (_, total) = table.rows
    for c in range(len(table.columns)):
        if total[c] == SUPPRESSED:
            continue
        column = [values[c] for _, values in body]
        hidden = column.count(SUPPRESSED)
        hidden_sum = total[c] - sum(v for v in column if v != SUPPRESSED)
        if hidden == 1 or (hidden and hidden_sum == hidden):
            return True
    return False


def test_small_counts_are_marked_and_a_single_mark_gets_a_partner():
    table = suppress(_table([("DV", [10]), ("貧困", [2]), ("障害", [5]), ("外国籍", [0])]))
    shown = dict(table.rows)
    assert shown["貧困"] == [SUPPRESSED]
    assert shown["障害"] == [SUPPRESSED]  # the smallest other positive count: else 17 − 10 − 5 − 0 = 2
    assert shown["DV"] == [10] and shown["外国籍"] == [0]
    assert shown["合計"] == [17]
    assert "＊" in table.note


def test_two_marks_need_no_partner_and_zero_is_never_hidden():
    shown = dict(suppress(_table([("a", [1]), ("b", [2]), ("c", [0]), ("d", [9])])).rows)
    assert shown == {"a": [SUPPRESSED], "b": [SUPPRESSED], "c": [0], "d": [9], "合計": [12]}


def test_marks_that_could_only_be_ones_get_a_partner():
    """Two ＊ over a total that leaves 2 for them would both be 1: the 5 goes too (7 − 0 = 1 + 1 + 5 is no longer
    the only way)."""
    shown = dict(suppress(_table([("a", [1]), ("b", [1]), ("c", [5]), ("d", [9])])).rows)
    assert shown == {"a": [SUPPRESSED], "b": [SUPPRESSED], "c": [SUPPRESSED], "d": [9], "合計": [16]}
    shown = dict(suppress(_table([("a", [1]), ("b", [1]), ("c", [0])])).rows)
    assert shown["合計"] == [SUPPRESSED]  # 2 in all, two ＊: no partner, so the total goes


def test_without_a_partner_the_total_is_hidden():
    shown = dict(suppress(_table([("a", [1]), ("b", [0])])).rows)
    assert shown == {"a": [SUPPRESSED], "b": [0], "合計": [SUPPRESSED]}


def test_a_comparison_hides_the_change_wherever_either_year_is_hidden():
    current = _table([("電話", [12]), ("面接", [2]), ("訪問", [4])])
    previous = _table([("電話", [9]), ("面接", [6]), ("訪問", [1])])
    table = suppress(compare(current, previous, current_label="令和6年度", previous_label="令和5年度"))
    shown = dict(table.rows)
    assert shown["電話"] == [12, 9, 3]
    # This year: 2 is marked, its partner the 4; last year: 1 is marked, its partner the 6.
    assert shown["面接"] == [SUPPRESSED, SUPPRESSED, SUPPRESSED]
    assert shown["訪問"] == [SUPPRESSED, SUPPRESSED, SUPPRESSED]
    assert shown["合計"] == [18, 16, 2]
    assert not _recoverable(table)


def test_no_table_of_small_counts_lets_a_mark_be_recovered():
    """Every table of three rows with counts 0–4: no ＊ can be recovered from its column and total."""
    for values in itertools.product(range(5), repeat=4):
        table = suppress(_table([(f"r{i}", [v]) for i, v in enumerate(values)]))
        assert not _recoverable(table), values
        shown = [v[0] for _, v in table.rows[:-1]]
        assert all(s == SUPPRESSED for s, v in zip(shown, values, strict=True) if v in (1, 2)), values


def test_the_chart_draws_a_mark_without_a_bar():
    svg = str(chart(suppress(_table([("a", [1]), ("b", [5])]))))
    assert "＊" in svg and "5" in svg


def test_the_xlsx_keeps_numbers_as_numbers_and_marks_as_text():
    content = tables_xlsx([suppress(_table([("a", [1]), ("b", [5]), ("c", [7])]))], title="報告")
    sheet = openpyxl.load_workbook(io.BytesIO(content))["テスト"]
    rows = {r[0]: r[1] for r in sheet.iter_rows(min_row=3, values_only=True) if r[0]}
    assert rows == {
        "a": SUPPRESSED,
        "b": SUPPRESSED,
        "c": 7,
        "合計": 13,
        **{k: v for k, v in rows.items() if k.startswith("＊")},
    }
    assert isinstance(rows["c"], int)


def test_a_table_without_a_total_marks_only_the_small_counts():
    table = suppress(Table("t", "テスト", ["件数"], [("新規", [2]), ("終結", [7])], total=False))
    assert table.rows == [("新規", [SUPPRESSED]), ("終結", [7])]


def test_a_fiscal_year_number_reads_in_the_era():
    from ageo_network.templatetags.wareki import nendo_of

    assert nendo_of(2024) == "令和6年度" and nendo_of(2019) == "令和元年度" and nendo_of(2018) == "平成30年度"
    assert nendo_of(None) == ""
