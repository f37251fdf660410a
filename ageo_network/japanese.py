"""Normalising what people type in Japanese: text, katakana readings, postal codes and phone numbers.

The `clean_*` and `normalise_postal_code` / `normalise_phone` functions raise ValidationError with
the Japanese message a form shows; the others never raise.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError

KATAKANA_RE = re.compile(r"^[ァ-ヶー・　 ]+$")
POSTAL_RE = re.compile(r"^\d{3}-\d{4}$")
PHONE_RE = re.compile(r"^0\d{1,4}-\d{1,4}-\d{3,4}$")
# Dash-like characters people type in numbers (NFKC leaves these alone).
DASHES = str.maketrans(dict.fromkeys("ー−‐‑‒–—―ｰ－", "-"))
# Numbers without hyphens whose split is fixed by their prefix: mobile, IP phone, free dial.
UNHYPHENATED_PHONE = [
    (re.compile(r"^0[5789]0\d{8}$"), (3, 4, 4)),
    (re.compile(r"^0120\d{6}$"), (4, 3, 3)),
    (re.compile(r"^0800\d{7}$"), (4, 3, 4)),
    (re.compile(r"^048\d{7}$"), (3, 3, 4)),  # Ageo and the rest of area code 048
]
KATAKANA_ERROR = "フリガナはカタカナで入力してください。"
POSTAL_ERROR = "郵便番号は「123-4567」の形で入力してください。"
PHONE_ERROR = "電話番号は「048-775-1234」のように市外局番から入力してください。"


def normalise_text(value: str) -> str:
    """NFKC (full-width digits and letters to half-width, half-width kana to full-width), single spaces, trimmed."""
    return " ".join(unicodedata.normalize("NFKC", value or "").split())


def hiragana_to_katakana(value: str) -> str:
    """Hiragana (ぁ to ゖ) typed by mistake becomes katakana; everything else is left alone."""
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in value)


def normalise_kana(value: str) -> str:
    """normalise_text, then hiragana to katakana: 'ｱｹﾞｵ　はなこ' → 'アゲオ ハナコ'."""
    return hiragana_to_katakana(normalise_text(value))


def normalise_reading(value: str) -> str:
    """The key a reading is searched by: normalise_kana without any space ('やまだ はなこ' → 'ヤマダハナコ').

    The case file's search hashes are HMACs of this key: its output must never change for any input.
    """
    return normalise_kana(value).replace(" ", "")


def clean_katakana(value: str) -> str:
    """A reading (フリガナ) in katakana, normalised; raises ValidationError for anything else."""
    value = normalise_kana(value)
    if value and not KATAKANA_RE.match(value):
        raise ValidationError(KATAKANA_ERROR)
    return value


def normalise_postal_code(value: str) -> str:
    """'〒３６２－８５０１' or '3628501' → '362-8501'; raises ValidationError otherwise."""
    value = normalise_text(value).translate(DASHES).replace("〒", "").replace(" ", "")
    if re.fullmatch(r"\d{7}", value):
        value = f"{value[:3]}-{value[3:]}"
    if value and not POSTAL_RE.match(value):
        raise ValidationError(POSTAL_ERROR)
    return value


def normalise_phone(value: str) -> str:
    """The usual hyphenations, '048(775)1234', full-width digits; an unambiguous bare number gets its hyphens."""
    value = normalise_text(value).translate(DASHES).replace(" ", "")
    value = re.sub(r"^(0\d{1,4})\((\d{1,4})\)(\d{3,4})$", r"\1-\2-\3", value)
    if value and "-" not in value:
        for pattern, split in UNHYPHENATED_PHONE:
            if pattern.match(value):
                a, b, _ = split
                value = f"{value[:a]}-{value[a : a + b]}-{value[a + b :]}"
                break
    digits = value.replace("-", "")
    if value and (not PHONE_RE.match(value) or len(digits) not in (10, 11)):
        raise ValidationError(PHONE_ERROR)
    return value
