import re
import unicodedata

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone

from ageo_network.forms import NamedRequiredMixin
from ageo_network.japanese import clean_katakana
from cases.models import (
    Accompaniment,
    Assessment,
    Case,
    ConsentRecord,
    Consultation,
    FollowUp,
    Information,
    NeedKind,
    PacketField,
    PlanItem,
    ProblemCategory,
    ProtectionStay,
    Referral,
)
from cases.services import CASE_EDITABLE_FIELDS
from registry.models import Body, Person
from registry.roles import HUB_ROLES

CASE_NUMBER_RE = re.compile(r"^[A-Z]\d{1,2}-\d{4}$")
DATE = {"type": "date"}
DATETIME = {"type": "datetime-local"}


def date_widget():
    return forms.DateInput(attrs=DATE, format="%Y-%m-%d")


def datetime_widget():
    return forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M")


class HelperMixin:
    layout: tuple = ()

    def setup_helper(self, *layout):
        self.helper = FormHelper()
        self.helper.form_tag = False
        if layout:
            self.helper.layout = Layout(*layout)


# --- Information ------------------------------------------------------------------


class InformationForm(NamedRequiredMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = Information
        fields = ["urgency", "observation", "situation", "woman_name", "awareness", "safe_contact"]
        widgets = {
            "observation": forms.Textarea(attrs={"rows": 4}),
            "situation": forms.Textarea(attrs={"rows": 3}),
            "woman_name": forms.TextInput(),
            "safe_contact": forms.Textarea(attrs={"rows": 2}),
            "awareness": forms.RadioSelect,
            "urgency": forms.RadioSelect,
        }
        help_texts = {
            "observation": "見たこと・聞いたことを、わかる範囲で書いてください。",
            "safe_contact": "例：平日の午前中に本人の携帯電話へ。自宅への郵送は不可。",
        }

    # Encrypted text columns have no length of their own: the form sets one a person would never reach.
    MAX_LENGTHS = {"caller": 100, "observation": 4000, "situation": 2000, "woman_name": 100, "safe_contact": 500}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A required radio list gets no blank "- Select an option -" choice, ticked as if it were an answer.
        self.fields["awareness"].choices = Information.Awareness.choices
        for name, limit in self.MAX_LENGTHS.items():
            if name in self.fields:
                field = self.fields[name]
                field.max_length = limit
                field.validators.append(MaxLengthValidator(limit))
                field.widget.attrs["maxlength"] = limit
        self.setup_helper(
            Fieldset("気づいたこと", "urgency", "observation", "situation"),
            Fieldset("本人について", "woman_name", "awareness", "safe_contact"),
        )


class PhoneInformationForm(InformationForm):
    """The hub enters information received by phone, naming the body that called."""

    source_body = forms.ModelChoiceField(
        label="連絡元の機関", queryset=Body.objects.active(), required=False, help_text="構成機関以外からの電話は空欄"
    )

    class Meta(InformationForm.Meta):
        fields = ["caller", *InformationForm.Meta.fields]
        widgets = {**InformationForm.Meta.widgets, "caller": forms.TextInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_helper(
            Fieldset("連絡元", "source_body", "caller"),
            Fieldset("気づいたこと", "urgency", "observation", "situation"),
            Fieldset("本人について", "woman_name", "awareness", "safe_contact"),
        )


class CaseNumberField(forms.CharField):
    def clean(self, value):
        value = unicodedata.normalize("NFKC", super().clean(value) or "").strip().upper()
        if value and not CASE_NUMBER_RE.match(value):
            raise forms.ValidationError("ケース番号は「R6-0001」の形で入力してください。")
        return value


class LinkCaseForm(HelperMixin, forms.Form):
    number = CaseNumberField(label="結び付けるケースの番号", max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_helper()


class NoCaseForm(HelperMixin, forms.Form):
    reason = forms.CharField(label="ケースにしなかった理由", widget=forms.Textarea(attrs={"rows": 2}), min_length=5)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_helper()


# --- The case ---------------------------------------------------------------------


class CaseForm(HelperMixin, forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label="問題の種類", choices=ProblemCategory.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Case
        fields = CASE_EDITABLE_FIELDS
        text_inputs = [
            "name",
            "name_reading",
            "nationality",
            "language",
            "phone",
            "perpetrator_name",
            "perpetrator_reading",
        ]
        widgets = {
            **{name: forms.TextInput() for name in text_inputs},
            "address": forms.Textarea(attrs={"rows": 2}),
            "household": forms.Textarea(attrs={"rows": 2}),
            "safe_contact_method": forms.Textarea(attrs={"rows": 2}),
            "safe_contact_times": forms.TextInput(),
            "safe_contact_never": forms.Textarea(attrs={"rows": 2}),
            "perpetrator_info": forms.Textarea(attrs={"rows": 3}),
            "risk_reason": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "address_protection_until": date_widget(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        self.setup_helper(
            Fieldset("本人", "name", "name_reading", "name_is_alias", "age", "birth_year"),
            Fieldset(
                "世帯・言語",
                "household",
                "children_count",
                "children_link",
                "nationality",
                "language",
                "interpreter_needed",
            ),
            Fieldset("連絡先", "phone", "address"),
            Fieldset(
                "安全な連絡",
                "safe_contact_method",
                "safe_contact_times",
                "safe_contact_never",
                "no_home_calls",
                "no_post",
            ),
            Fieldset("住民票のDV等支援措置", "address_protection", "address_protection_until"),
            Fieldset("加害者", "perpetrator_name", "perpetrator_reading", "perpetrator_info"),
            Fieldset("主訴とリスク", "categories", "risk_level", "risk_reason", "notes"),
            "version",
        )

    def clean_name_reading(self):
        return clean_katakana(self.cleaned_data["name_reading"])

    def clean_perpetrator_reading(self):
        return clean_katakana(self.cleaned_data["perpetrator_reading"])

    def clean(self):
        data = super().clean()
        if data.get("address_protection") and not data.get("address_protection_until"):
            self.add_error("address_protection_until", "支援措置を実施中のときは期限を入力してください。")
        return data

    def case_data(self, *, only_changed: bool) -> dict:
        names = [f for f in CASE_EDITABLE_FIELDS if not only_changed or f in self.changed_data]
        return {name: self.cleaned_data[name] for name in names}


class StageForm(HelperMixin, forms.Form):
    stage = forms.ChoiceField(label="新しい段階", choices=[c for c in Case.Stage.choices if c[0] != Case.Stage.CLOSED])
    note = forms.CharField(label="メモ", required=False, widget=forms.TextInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_helper()


class ReasonForm(HelperMixin, forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}), min_length=10)

    def __init__(self, *args, label="理由", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.setup_helper()


class ClosureDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "承認する"), ("reject", "差し戻す")])


class AssignForm(HelperMixin, forms.Form):
    lead = forms.ModelChoiceField(label="主担当", queryset=Person.objects.none())
    others = forms.ModelMultipleChoiceField(
        label="ほかの担当", queryset=Person.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        workers = Person.objects.current().filter(role__in=HUB_ROLES).order_by("name_kana", "name")
        self.fields["lead"].queryset = workers
        self.fields["others"].queryset = workers
        self.fields["lead"].label_from_instance = lambda p: p.name
        self.fields["others"].label_from_instance = lambda p: p.name
        self.setup_helper()


class BreakGlassForm(HelperMixin, forms.Form):
    reason = forms.CharField(
        label="緊急閲覧の理由",
        min_length=10,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="業務上の理由を10文字以上で。相談者の氏名や相談内容は書かないでください。統括者の画面に表示されます。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_helper()


class ProtectedPrintForm(HelperMixin, forms.Form):
    """Why the summary PDF must carry the address, phone and safe contact of a woman under address protection."""

    reason = forms.CharField(
        label="住所・電話番号・安全な連絡方法を記載する理由",
        min_length=10,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="業務上の理由を10文字以上で。相談者の氏名や相談内容は書かないでください。アクセスログに記録されます。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_helper()


class CaseSearchForm(HelperMixin, forms.Form):
    reading = forms.CharField(label="フリガナ（本人・加害者）", required=False, max_length=100)
    number = CaseNumberField(label="ケース番号", required=False, max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_helper()

    def clean_reading(self):
        return clean_katakana(self.cleaned_data["reading"])

    def clean(self):
        data = super().clean()
        if not data.get("reading") and not data.get("number"):
            raise forms.ValidationError("フリガナかケース番号を入力してください。")
        return data


# --- Records --------------------------------------------------------------------------


class ConsultationForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = Consultation
        fields = ["at", "method", "content", "next_step"]
        widgets = {
            "at": datetime_widget(),
            "content": forms.Textarea(attrs={"rows": 6}),
            "next_step": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("at", timezone.localtime().replace(second=0, microsecond=0))
        self.setup_helper()


class AssessmentForm(HelperMixin, forms.ModelForm):
    needs = forms.MultipleChoiceField(label="ニーズ", choices=NeedKind.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Assessment
        fields = ["assessed_at", "needs", "needs_detail", "wishes", "risk_level", "risk_detail"]
        widgets = {
            "assessed_at": datetime_widget(),
            "needs_detail": forms.Textarea(attrs={"rows": 3}),
            "wishes": forms.Textarea(attrs={"rows": 3}),
            "risk_detail": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("assessed_at", timezone.localtime().replace(second=0, microsecond=0))
        self.setup_helper()


class PlanItemForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = ["service", "detail", "responsible_body", "status", "due_on"]
        widgets = {"detail": forms.Textarea(attrs={"rows": 2}), "due_on": date_widget()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_body"].queryset = Body.objects.active().order_by("kind", "name_kana", "name")
        self.setup_helper()


class PlanItemStatusForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = ["status", "due_on"]
        widgets = {"due_on": date_widget()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_helper()


class ConsentForm(HelperMixin, forms.ModelForm):
    items = forms.MultipleChoiceField(
        label="共有に同意した項目", choices=PacketField.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ConsentRecord
        fields = ["body", "items", "purpose", "given_on", "valid_until"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "given_on": date_widget(),
            "valid_until": date_widget(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.active().exclude(kind=Body.Kind.HUB).order_by("kind", "name_kana")
        self.initial.setdefault("given_on", timezone.localdate())
        self.setup_helper()

    def clean(self):
        data = super().clean()
        if data.get("given_on") and data.get("valid_until") and data["valid_until"] < data["given_on"]:
            self.add_error("valid_until", "有効期限は同意日以降の日付にしてください。")
        return data


class ReferralForm(HelperMixin, forms.Form):
    to_body = forms.ModelChoiceField(label="依頼先", queryset=Body.objects.none())
    fields = forms.MultipleChoiceField(
        label="依頼先に送る項目",
        choices=PacketField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="チェックした項目だけが依頼先に届きます。必要最小限にしてください。",
    )
    request = forms.CharField(
        label="依頼内容",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="依頼先に届きます。チェックしていない個人情報は書かないでください。",
    )
    legal_basis = forms.ChoiceField(label="提供の根拠", choices=Referral.LegalBasis.choices, widget=forms.RadioSelect)
    legal_basis_note = forms.CharField(
        label="根拠の説明（同意によらない場合）", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_body"].queryset = Body.objects.active().filter(
            kind__in=[Body.Kind.DEPARTMENT, Body.Kind.AGENCY]
        )
        if case.address_protection:
            self.fields["fields"].choices = [c for c in PacketField.choices if c[0] != PacketField.ADDRESS]
            self.fields["fields"].help_text = (
                "住民票のDV等支援措置を実施中のため、住所は送れません。" + self.fields["fields"].help_text
            )
        self.setup_helper()


class ReferralReturnForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = Referral
        fields = ["action_taken", "outcome"]
        widgets = {"action_taken": forms.Textarea(attrs={"rows": 3}), "outcome": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].required = True
        self.setup_helper()


class AccompanimentForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = Accompaniment
        fields = ["on", "destination", "companions", "outcome"]
        widgets = {
            "on": date_widget(),
            "destination": forms.TextInput(),
            "companions": forms.TextInput(),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_helper()


class ProtectionStayForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = ProtectionStay
        fields = ["kind", "started_on", "ended_on", "notes"]
        widgets = {"started_on": date_widget(), "ended_on": date_widget(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_helper()

    def clean(self):
        data = super().clean()
        if data.get("ended_on") and data.get("started_on") and data["ended_on"] < data["started_on"]:
            self.add_error("ended_on", "終了日は開始日以降にしてください。")
        return data


class FollowUpForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["due_on", "purpose"]
        widgets = {"due_on": date_widget(), "purpose": forms.TextInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_helper()


class FollowUpDoneForm(HelperMixin, forms.Form):
    result = forms.CharField(label="結果", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_helper()


class LegalHoldForm(HelperMixin, forms.Form):
    """A hold that stops the retention purge of a case (cases/retention.py)."""

    reason = forms.CharField(
        label="保留の理由",
        min_length=10,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="業務上の理由を10文字以上で（例：係争中の訴訟に対応するため）。相談者の氏名や相談内容は書かないでください。",
    )
    until = forms.DateField(label="保留の期限", widget=date_widget(), help_text="この日までは削除しません。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_helper()
