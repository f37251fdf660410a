"""Template filters for the PDFs: keep names whole on a line."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

# Where a Japanese organisation name may break: after its legal form, or before a trailing one.
LEGAL_FORMS = sorted(
    [
        "特定非営利活動法人",
        "地方独立行政法人",
        "独立行政法人",
        "医療法人社団",
        "医療法人財団",
        "社会福祉法人",
        "一般社団法人",
        "公益社団法人",
        "一般財団法人",
        "公益財団法人",
        "医療法人",
        "学校法人",
        "宗教法人",
        "株式会社",
        "有限会社",
        "合同会社",
        "NPO法人",
    ],
    key=len,
    reverse=True,
)
# A word longer than this may not fit its column: it is left free to wrap rather than overflow.
MAX_WORD = 22


def _split_legal_form(part: str) -> list[str]:
    for form in LEGAL_FORMS:
        if part.startswith(form) and len(part) > len(form):
            return [form, *_split_legal_form(part[len(form) :])]
        if part.endswith(form) and len(part) > len(form):
            return [*_split_legal_form(part[: -len(form)]), form]
    return [part]


def name_words(name: str) -> list[list[str]]:
    """The words of a name, grouped by the spaces between them:
    '医療法人社団あおば会 あおばクリニック' → [['医療法人社団', 'あおば会'], ['あおばクリニック']]."""
    return [_split_legal_form(part) for part in name.split()]


@register.filter
def nobreak_words(name):
    """The name with each word kept on one line (white-space: nowrap); lines break only between words."""
    if not name:
        return ""
    groups = [
        format_html_join("", '<span class="{}">{}</span>', ((_word_class(w), w) for w in words))
        for words in name_words(str(name))
    ]
    return mark_safe(" ".join(groups))  # noqa: S308 - each group is escaped by format_html_join


def _word_class(word: str) -> str:
    return "word" if len(word) <= MAX_WORD else "long-word"


# Text width in ems of the shipped IPAexGothic: full-width characters are 1 em, Latin is proportional
# (at most about 0.6 em, a few capitals wider), half-width kana 0.5 em. Over-estimated on purpose.
_WIDE_LATIN = set("MWmw@%&")


def text_ems(text: str) -> float:
    width = 0.0
    for char in text:
        if char.isascii():
            width += 0.9 if char in _WIDE_LATIN else 0.62
        elif "\uff61" <= char <= "\uff9f":  # half-width katakana
            width += 0.55
        else:
            width += 1.0
    return width


@register.filter
def fit_words(name, ems):
    """`nobreak_words` for a long table: a name that fits on one line of `ems` (the column's width in ems of its
    font) is printed as plain text — it cannot break — and only a longer one gets a box per word. WeasyPrint lays
    out every inline box on its own: on the 2,000-body roster the word boxes were a quarter of the time."""
    if not name:
        return ""
    if text_ems(str(name)) <= float(ems):
        return str(name)
    return nobreak_words(name)


@register.filter
def packed_lines(labels, ems):
    """Labels joined with 、, broken into lines of at most `ems` between labels (never inside one) with <br>:
    one text box for the whole cell instead of one per label. A label longer than a line wraps on its own."""
    lines, line = [], ""
    for label in (str(x) for x in labels):
        candidate = f"{line}、{label}" if line else label
        if line and text_ems(candidate + "、") > float(ems):
            lines.append(line + "、")
            line = label
        else:
            line = candidate
    if line:
        lines.append(line)
    return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))  # noqa: S308
