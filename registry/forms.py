import time

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Field, Fieldset, Layout
from django import forms
from django.conf import settings
from django.core import signing
from django.utils import timezone

from ageo_network.forms import NamedRequiredMixin
from ageo_network.japanese import clean_katakana, normalise_phone, normalise_postal_code, normalise_text
from registry.models import ROSTER_SHOW_FIELDS, Activity, Application, Body, Person


class ContactCleaningMixin:
    """Normalisation shared by every form that edits a body's name and contact details."""

    def clean_name(self):
        return normalise_text(self.cleaned_data["name"])

    def clean_name_kana(self):
        return clean_katakana(self.cleaned_data["name_kana"])

    def clean_representative(self):
        return normalise_text(self.cleaned_data["representative"])

    def clean_address(self):
        return normalise_text(self.cleaned_data["address"])

    def clean_postal_code(self):
        return normalise_postal_code(self.cleaned_data["postal_code"])

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def clean_email(self):
        return normalise_text(self.cleaned_data["email"]).lower()

    def clean_activity_other(self):
        return normalise_text(self.cleaned_data["activity_other"])

    def check_activities(self, cleaned):
        if Activity.OTHER in cleaned.get("activities", []) and not cleaned.get("activity_other"):
            self.add_error("activity_other", "「その他」を選んだ場合は内容を入力してください。")
        if Activity.OTHER not in cleaned.get("activities", []):
            cleaned["activity_other"] = ""

    def check_roster_fields(self, cleaned):
        # Without consent to appear, no field is published whatever was ticked.
        if not cleaned.get("roster_consent"):
            for name in ROSTER_SHOW_FIELDS:
                cleaned[name] = False


class BodyFilterForm(forms.Form):
    kind = forms.ChoiceField(label="種別", required=False, choices=[("", "すべて"), *Body.Kind.choices])
    status = forms.ChoiceField(label="状態", required=False, choices=[("", "すべて"), *Body.Status.choices])
    in_city = forms.ChoiceField(
        label="市内外", required=False, choices=[("", "すべて"), ("in", "市内"), ("out", "市外")]
    )
    activity = forms.ChoiceField(label="協力できること", required=False, choices=[("", "すべて"), *Activity.choices])
    q = forms.CharField(label="名称・フリガナ", required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_q(self):
        return normalise_text(self.cleaned_data["q"])


class BodyForm(NamedRequiredMixin, ContactCleaningMixin, forms.ModelForm):
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


SIGNUP_STARTED_SALT = "registry.signup.started"
SIGNUP_TOKEN_MAX_AGE = 24 * 3600
IN_CITY_CHOICES = [("auto", "所在地から判定する"), ("in", "市内"), ("out", "市外")]
CITY_NAME = "上尾市"


def signup_started_token(at: float | None = None) -> str:
    """A signed timestamp of when the form was first shown; a form sent sooner than a person could is a bot."""
    return signing.dumps(time.time() if at is None else at, salt=SIGNUP_STARTED_SALT)


class BotDefenceMixin:
    """The bot defences of the public forms (the business signup, the public event form): a honeypot field
    `nickname` and a signed `started` timestamp (signup_started_token), both declared by the form."""

    def looks_automated(self) -> bool:
        """True for a filled honeypot, a forged timestamp, or a form sent faster than a person fills it."""
        if self.data.get("nickname"):
            return True
        try:
            started = signing.loads(self.data.get("started", ""), salt=SIGNUP_STARTED_SALT)
        except signing.BadSignature:
            return True
        return time.time() - float(started) < getattr(settings, "SIGNUP_MIN_FILL_SECONDS", 5)

    def token_expired(self) -> bool:
        """A form left open for more than a day: a person, not a bot; ask them to send it again."""
        try:
            signing.loads(self.data.get("started", ""), salt=SIGNUP_STARTED_SALT, max_age=SIGNUP_TOKEN_MAX_AGE)
        except signing.SignatureExpired:
            return True
        except signing.BadSignature:
            return False
        return False


class SignupForm(NamedRequiredMixin, BotDefenceMixin, ContactCleaningMixin, forms.ModelForm):
    """The public signup form. Validates and normalises only; bot checks via looks_automated()."""

    in_city = forms.ChoiceField(
        label="市内・市外",
        choices=IN_CITY_CHOICES,
        initial="auto",
        widget=forms.RadioSelect,
        help_text="所在地に「上尾市」とあれば市内と判定します。違う場合は選び直してください。",
    )
    activities = forms.MultipleChoiceField(
        label="協力できること（複数選択可）",
        choices=Activity.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "協力できることを1つ以上選んでください。"},
    )
    rules_accepted = forms.BooleanField(
        label="設置要綱の趣旨に賛同し、第10条の守秘義務を守ることに同意します。",
        error_messages={"required": "登録には、要綱と第10条の守秘義務への同意が必要です。"},
    )
    # Honeypot: hidden from people, filled in by bots that complete every field.
    nickname = forms.CharField(label="この欄は入力しないでください", required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Application
        fields = [
            "name",
            "name_kana",
            "business_kind",
            "representative",
            "contact_name",
            "contact_kana",
            "postal_code",
            "address",
            "in_city",
            "phone",
            "email",
            "website",
            "activities",
            "activity_other",
            "roster_consent",
            "roster_show_address",
            "roster_show_phone",
            "roster_show_email",
            "roster_show_website",
            "roster_show_representative",
            "rules_accepted",
        ]
        widgets = {
            # No example values as placeholders: they look filled in. Examples go in the help text.
            "postal_code": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        help_texts = {
            "name_kana": "カタカナで入力してください（例：アゲオヤッキョク）。",
            "contact_kana": "カタカナで入力してください（例：アゲオ ハナコ）。",
            "postal_code": "例：362-8501",
            "phone": "例：048-775-1234（ハイフンなし・全角数字でも入力できます）。",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].assume_scheme = "https"
        self.fields["business_kind"].choices = [("", "選択してください"), *Body.BusinessKind.choices]
        if not self.is_bound:
            self.initial["started"] = signup_started_token()
            if self.instance.pk:
                self.initial["in_city"] = "in" if self.instance.in_city else "out"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset("事業所・団体", "name", "name_kana", "business_kind", "representative"),
            Fieldset("ご担当者", "contact_name", "contact_kana"),
            Fieldset("所在地・連絡先", "postal_code", "address", "in_city", "phone", "email", "website"),
            Fieldset("ネットワークで協力できること", "activities", "activity_other"),
            Fieldset(
                "公開名簿",
                HTML(
                    '<p class="small text-muted">同意いただいた場合、事業所名・種類・協力できることを公開名簿に載せます。'
                    "そのほかに載せてよい項目を選んでください。</p>"
                ),
                "roster_consent",
                "roster_show_address",
                "roster_show_phone",
                "roster_show_email",
                "roster_show_website",
                "roster_show_representative",
            ),
            Fieldset("同意", "rules_accepted"),
            Field("nickname", wrapper_class="visually-hidden", autocomplete="off", tabindex="-1"),
            "started",
        )

    def clean_contact_name(self):
        return normalise_text(self.cleaned_data["contact_name"])

    def clean_contact_kana(self):
        return clean_katakana(self.cleaned_data["contact_kana"])

    def clean_in_city(self):
        choice = self.cleaned_data["in_city"]
        if choice == "auto":
            return CITY_NAME in self.cleaned_data.get("address", "")
        return choice == "in"

    def clean(self):
        cleaned = super().clean()
        self.check_activities(cleaned)
        self.check_roster_fields(cleaned)
        return cleaned


class DecisionForm(NamedRequiredMixin, forms.Form):
    """The reason sent to the applicant when the secretariat asks for changes (prefix "changes") or rejects
    (prefix "reject"); each box says which it is, so the one is not typed into the other."""

    LABELS = {
        "changes": ("修正してほしい点（申請者にメールで送られます）", "修正してほしい点を入力してください。"),
        "reject": ("却下の理由（申請者にメールで送られます）", "却下の理由を入力してください。"),
    }

    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label, required = self.LABELS[self.prefix]
        self.fields["reason"].label = label
        self.fields["reason"].error_messages["required"] = required
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_reason(self):
        return self.cleaned_data["reason"].strip()


class ApproveForm(forms.Form):
    """Approval creates a body and an account and sends a mail: the secretariat confirms it first."""

    confirmed = forms.BooleanField(
        label="申請の内容と重複の可能性を確認しました",
        error_messages={"required": "承認する前に、内容を確認したことにチェックを入れてください。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class WithdrawForm(NamedRequiredMixin, forms.Form):
    left_on = forms.DateField(label="退会日", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = forms.CharField(
        label="退会の経緯",
        max_length=300,
        help_text="例：事業所からの申出（令和7年4月1日付）",
        error_messages={"required": "退会の経緯を入力してください。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        if not self.is_bound:
            self.initial.setdefault("left_on", timezone.localdate())

    def clean_reason(self):
        return normalise_text(self.cleaned_data["reason"])


class BusinessProfileForm(NamedRequiredMixin, ContactCleaningMixin, forms.ModelForm):
    """What a business member may change about their own body."""

    activities = forms.MultipleChoiceField(
        label="協力できること（複数選択可）",
        choices=Activity.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "協力できることを1つ以上選んでください。"},
    )

    class Meta:
        model = Body
        fields = [
            "name",
            "name_kana",
            "business_kind",
            "representative",
            "postal_code",
            "address",
            "in_city",
            "phone",
            "email",
            "website",
            "activity_other",
            "roster_consent",
            "roster_show_address",
            "roster_show_phone",
            "roster_show_email",
            "roster_show_website",
            "roster_show_representative",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name_kana", "business_kind", "representative", "postal_code", "address", "phone", "email"):
            self.fields[name].required = True
        self.fields["website"].assume_scheme = "https"
        self.fields["business_kind"].choices = [("", "選択してください"), *Body.BusinessKind.choices]
        if not self.is_bound:
            self.initial["activities"] = [a.activity for a in self.instance.activities.all()]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset("事業所・団体", "name", "name_kana", "business_kind", "representative"),
            Fieldset("所在地・連絡先", "postal_code", "address", "in_city", "phone", "email", "website"),
            Fieldset("ネットワークで協力できること", "activities", "activity_other"),
            Fieldset("公開名簿", "roster_consent", *ROSTER_SHOW_FIELDS),
        )

    def clean(self):
        cleaned = super().clean()
        self.check_activities(cleaned)
        self.check_roster_fields(cleaned)
        return cleaned


class WithdrawalRequestForm(NamedRequiredMixin, forms.Form):
    wished_on = forms.DateField(
        label="退会希望日（任意）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(
        label="理由（任意）", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = forms.BooleanField(
        label="退会後も第10条の守秘義務が続くことを理解しました。",
        error_messages={"required": "確認のチェックを入れてください。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


# --- people of the bodies -----------------------------------------------------------------------------------


class PersonAddForm(NamedRequiredMixin, forms.Form):
    """A new person of a body. The role choices are those allowed for the body's kind."""

    name = forms.CharField(label="氏名", max_length=100)
    name_kana = forms.CharField(label="フリガナ", max_length=100)
    email = forms.EmailField(label="メールアドレス", max_length=254, help_text="パスワード設定のリンクを送ります。")
    title = forms.CharField(label="役職", max_length=100, required=False)
    role = forms.ChoiceField(label="役割")

    def __init__(self, *args, roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Person.Role.choices)
        self.fields["role"].choices = [(role, labels[role]) for role in roles]
        if len(roles) == 1:
            self.fields["role"].initial = roles[0]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_name(self):
        return normalise_text(self.cleaned_data["name"])

    def clean_name_kana(self):
        return clean_katakana(self.cleaned_data["name_kana"])

    def clean_email(self):
        return normalise_text(self.cleaned_data["email"]).lower()


class ColleagueForm(PersonAddForm):
    """A business member invites a colleague: always a business member, no title."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, roles=[Person.Role.BUSINESS_MEMBER], **kwargs)
        del self.fields["role"]
        del self.fields["title"]


class PersonRoleForm(NamedRequiredMixin, forms.Form):
    role = forms.ChoiceField(label="新しい役割")

    def __init__(self, *args, roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Person.Role.choices)
        self.fields["role"].choices = [(role, labels[role]) for role in roles]
        self.helper = FormHelper()
        self.helper.form_tag = False


class PersonEndForm(NamedRequiredMixin, forms.Form):
    left_on = forms.DateField(
        label="終了日",
        help_text="この日からログインできなくなります（今日を選ぶと、開いている画面もすぐにログアウトされます）。",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class PeopleLimitForm(NamedRequiredMixin, forms.Form):
    people_limit = forms.IntegerField(label="担当者の上限（人）", min_value=1, max_value=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class AnnualReviewForm(forms.Form):
    """One choice per current person of the body: continues in the new fiscal year, or leaves on 31 March."""

    CONTINUES = "continues"
    LEAVES = "leaves"

    def __init__(self, *args, people: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        for person in people:
            self.fields[f"person_{person.pk}"] = forms.ChoiceField(
                label=f"{person.name}（{person.get_role_display()}）",
                choices=[(self.CONTINUES, "新年度も継続"), (self.LEAVES, "3月31日で終了")],
                widget=forms.RadioSelect,
                error_messages={"required": f"{person.name}さんについて、継続か終了かを選んでください。"},
            )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def continuing(self) -> dict[int, bool]:
        return {p.pk: self.cleaned_data[f"person_{p.pk}"] == self.CONTINUES for p in self.people}
