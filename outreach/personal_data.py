"""Heuristics that warn a bulletin author before posting text that looks like personal or case data.

They warn, never refuse: a clinic's public phone number is fine to share, a woman's is not, and only
the author can tell. The issue names three signs: a phone number, an address, a personal name next
to a situation.
"""

import re
import unicodedata

PHONE = re.compile(r"(?<!\d)(0\d{1,4}[-(（ ]?\d{1,4}[-)） ]?\d{3,4}|0[789]0\d{8})(?!\d)")
ADDRESS = re.compile(
    r"(〒\s?\d{3}-?\d{4})|((?<![\d-])\d{3}-\d{4}(?![\d-]))|([都道府県市区町村].{0,12}?\d+(丁目|番地|番|-)\d*)|(\d+丁目)"
)
# A name-like token (2–6 kanji or katakana, or an initial) with an honorific.
NAME = re.compile(r"([一-龥々]{1,4}|[ァ-ヶー]{2,8}|[A-ZＡ-Ｚ])\s?(さん|様|氏|ちゃん|くん)")
SITUATION = re.compile(
    r"(DV|ＤＶ|暴力|虐待|離婚|別居|妊娠|中絶|生活保護|借金|自殺|自傷|被害|加害|避難|保護|失踪|家出|相談に来|相談があ|困窮|障害|精神)"
)
NEAR = 40  # characters between a name and a situation word that still count as "next to"


def personal_data_warnings(text: str) -> list[str]:
    """Japanese warnings for the posting form; empty when nothing looks personal."""
    text = unicodedata.normalize("NFKC", text or "")
    warnings = []
    if PHONE.search(text):
        warnings.append("電話番号のような数字が含まれています。個人の電話番号は載せないでください。")
    if ADDRESS.search(text):
        warnings.append("住所のような記載が含まれています。個人の住所は載せないでください。")
    for name in NAME.finditer(text):
        window = text[max(0, name.start() - NEAR) : name.end() + NEAR]
        if SITUATION.search(window):
            warnings.append(
                "人の名前と本人の状況のような記載が近くにあります。個人やケースのことは載せないでください。"
            )
            break
    return warnings
