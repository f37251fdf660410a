"""The shared SVG bar chart: every bar carries its label and value; nothing the strict CSP blocks."""

from ageo_network.charts import Series, bar_chart


def test_one_series_writes_labels_and_values_and_escapes_them():
    svg = bar_chart([("カード<script>", 120), ("ポスター", 0)], title="在庫", unit="枚")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "カード&lt;script&gt;" in svg and "<script>" not in svg
    assert ">120枚</text>" in svg and ">0枚</text>" in svg
    assert "style=" not in svg and "<title>在庫</title>" in svg


def test_bars_scale_to_the_largest_value():
    svg = bar_chart([("a", 50), ("b", 100)], title="t", width=640)
    widths = [int(part.split('"')[0]) for part in svg.split('width="')[2:] if part.split('"')[0].isdigit()]
    assert max(widths) == 640 - 220 - 130 and 145 in widths


def test_two_series_are_told_apart_without_colour():
    svg = bar_chart(title="行事", labels=["研修"], series=[Series("申込", [20]), Series("出席", [18])], unit="人")
    assert "url(#chart-hatch-" in svg and ">申込 20人</text>" in svg and ">出席 18人</text>" in svg


def test_three_series_have_three_fills():
    series = [Series("未受領", [1]), Series("受領", [2]), Series("結果", [3])]
    svg = bar_chart(title="依頼", labels=["課"], series=series)
    legend = [part.split('"')[0] for part in svg.split('height="14" fill="')[1:]]
    assert len(legend) == 3 and len(set(legend)) == 3


def test_no_data_says_so():
    assert "データがありません" in bar_chart([], title="空")


def test_a_long_label_is_shortened_in_the_chart():
    svg = bar_chart([("とても長い啓発物の名前（やさしい日本語）", 1)], title="t")
    assert "とても長い啓発物の名前（やさし…" in svg
