import re
import unicodedata

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms

from registry.models import Body

KATAKANA_RE = re.compile(r"^[ァ-ヶー・　 ]+$")
POSTAL_RE = re.compile(r"^\d{3}-\d{4}$")
PHONE_RE = re.compile(r"^0\d{1,4}-\d{1,4}-\d{3,4}$")


def normalise_text(value: str) -> str:
    """NFKC (full-width digits and letters to half-width, half-width kana to full-width), trimmed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", value or "")).strip()


def normalise_kana(value: str) -> str:
    value = unicodedata.normalize("NFKC", value or "").strip()
    # Hiragana typed by mistake becomes katakana.
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in value)


class BodyFilterForm(forms.Form):
    kind = forms.ChoiceField(label="種別", required=False, choices=[("", "すべて"), *Body.Kind.choices])
    status = forms.ChoiceField(label="状態", required=False, choices=[("", "すべて"), *Body.Status.choices])
    q = forms.CharField(label="名称・フリガナ", required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_q(self):
        return normalise_text(self.cleaned_data["q"])


class BodyForm(forms.ModelForm):
    class Meta:
        model = Body
        fields = [
            "name",
            "name_kana",
            "division",
            "section",
            "postal_code",
            "address",
            "phone",
            "email",
            "website",
            "in_city",
            "joined_on",
        ]
        widgets = {"joined_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset("名称", "name", "name_kana", "division", "section"),
            Fieldset("連絡先", "postal_code", "address", "phone", "email", "website", "in_city"),
            Fieldset("加入", "joined_on"),
        )

    def clean_name(self):
        return normalise_text(self.cleaned_data["name"])

    def clean_name_kana(self):
        value = normalise_kana(self.cleaned_data["name_kana"])
        if value and not KATAKANA_RE.match(value):
            raise forms.ValidationError("フリガナはカタカナで入力してください。")
        return value

    def clean_postal_code(self):
        value = normalise_text(self.cleaned_data["postal_code"]).replace("ー", "-").replace("−", "-")
        if value and re.fullmatch(r"\d{7}", value):
            value = f"{value[:3]}-{value[3:]}"
        if value and not POSTAL_RE.match(value):
            raise forms.ValidationError("郵便番号は「123-4567」の形で入力してください。")
        return value

    def clean_phone(self):
        value = normalise_text(self.cleaned_data["phone"]).replace("ー", "-").replace("−", "-").replace(" ", "")
        if value and not PHONE_RE.match(value):
            raise forms.ValidationError("電話番号は「048-775-1234」のように市外局番から入力してください。")
        return value
