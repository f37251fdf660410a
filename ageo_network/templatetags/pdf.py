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
