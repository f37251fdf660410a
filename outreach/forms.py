import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout
from django import forms
from django.db.models import Q
from django.utils import timezone

from ageo_network.japanese import clean_katakana, normalise_text
from ageo_network.uploads import DOCUMENTS, IMAGES, PDF, check_upload
from ageo_network.wareki import wareki_date
from outreach.models import ActivityReport, DigestChoice, Event, Material, Placement, Post, Registration, StockMovement
from outreach.personal_data import personal_data_warnings
from registry.forms import BotDefenceMixin, signup_started_token
from registry.models import Body, Person

THUMBNAIL_MAX_BYTES = 2 * 1024 * 1024


def _helper(*layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    if layout:
        helper.layout = Layout(*layout)
    return helper


class MaterialForm(forms.ModelForm):
    """A catalogue entry; the print file and the thumbnail are checked by their content."""

    class Meta:
        model = Material
        fields = [
            "kind",
            "title",
            "edition",
            "language",
            "public_placement",
            "print_file",
            "thumbnail",
            "low_stock_threshold",
            "is_active",
        ]
        widgets = {"print_file": forms.ClearableFileInput(), "thumbnail": forms.ClearableFileInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "選択してください"), *Material.Kind.choices]
        if not self.instance.pk:
            today = timezone.localdate()
            self.initial.setdefault("edition", today.year if today.month >= 4 else today.year - 1)
        self.helper = _helper(
            Fieldset("啓発物", "kind", "title", "edition", "language", "public_placement", "is_active"),
            Fieldset("ファイル", "print_file", "thumbnail"),
            Fieldset("在庫", "low_stock_threshold"),
        )

    def clean_title(self):
        return normalise_text(self.cleaned_data["title"])

    def clean_print_file(self):
        upload = self.cleaned_data.get("print_file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            check_upload(upload, kinds=(PDF,))
        return upload

    def clean_thumbnail(self):
        upload = self.cleaned_data.get("thumbnail")
        if upload and hasattr(upload, "content_type"):
            check_upload(upload, kinds=IMAGES, max_bytes=THUMBNAIL_MAX_BYTES)
        return upload


class MovementForm(forms.Form):
    """A ledger line other than a shipment: received from the printer, returned by a body, discarded."""

    kind = forms.ChoiceField(
        label="種類",
        choices=[(k, StockMovement.Kind(k).label) for k in ("received", "returned", "discarded")],
    )
    quantity = forms.IntegerField(label="数量", min_value=1)
    body = forms.ModelChoiceField(
        label="返却した機関", queryset=Body.objects.none(), required=False, empty_label="（返却のときに選ぶ）"
    )
    note = forms.CharField(label="備考", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.active().order_by("kind", "name_kana", "name")
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == StockMovement.Kind.RETURNED and not cleaned.get("body"):
            self.add_error("body", "返却した機関を選んでください。")
        return cleaned


class ShipmentForm(forms.Form):
    body = forms.ModelChoiceField(label="発送先", queryset=Body.objects.none(), empty_label="選択してください")
    quantity = forms.IntegerField(label="数量", min_value=1)
    spot = forms.ChoiceField(label="設置場所", choices=Placement.Spot.choices)
    note = forms.CharField(label="備考", max_length=200, required=False)

    def __init__(self, *args, material: Material | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.active().order_by("kind", "name_kana", "name")
        if material is not None and not material.public_placement:
            self.fields["spot"].help_text = "この啓発物は人目につかない場所（女性トイレなど）に置きます。"
        self.helper = _helper()


class MaterialShipmentForm(ShipmentForm):
    """Shipping from the restock list: the material is chosen too."""

    material = forms.ModelChoiceField(
        label="啓発物", queryset=Material.objects.filter(is_active=True), empty_label="選択してください"
    )

    field_order = ["material", "body", "quantity", "spot", "note"]


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title}（{wareki_date(obj.date, weekday=True)}）"


def linkable_meetings(*, keep_id: int | None = None):
    """Meetings an event may be held together with: Art. 7/8, not cancelled, recent first. `keep_id` keeps an
    existing link selectable after its meeting was cancelled, so that editing the event does not break it."""
    from meetings.models import Meeting

    allowed = Q(kind__in=[Meeting.Kind.REPRESENTATIVES, Meeting.Kind.PRACTITIONERS]) & ~Q(
        status=Meeting.Status.CANCELLED
    )
    if keep_id:
        allowed |= Q(pk=keep_id)
    return Meeting.objects.filter(allowed).order_by("-date", "-start_time", "-id")


class EventForm(forms.ModelForm):
    day = forms.DateField(label="日付", widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label="開始時刻", widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label="終了時刻", widget=forms.TimeInput(attrs={"type": "time"}))
    meeting = MeetingChoiceField(
        label="同時開催の会議",
        queryset=None,
        required=False,
        empty_label="（なし）",
        help_text="代表者会議・実務者会議と同じ日に開く講演会などのとき選びます。",
        error_messages={
            "invalid_choice": "この会議は選べません。中止になっていない代表者会議・実務者会議から選んでください。"
        },
    )

    class Meta:
        model = Event
        fields = ["kind", "title", "place", "capacity", "audience", "organiser", "description", "meeting"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = Body.objects.active().order_by("kind", "name_kana", "name")
        self.fields["organiser"].empty_label = "選択してください"
        self.fields["meeting"].queryset = linkable_meetings(keep_id=self.instance.meeting_id)
        self.fields["kind"].choices = [("", "選択してください"), *Event.Kind.choices]
        if self.instance.pk:
            start = timezone.localtime(self.instance.starts_at)
            self.initial.update(
                day=start.date(), start_time=start.time(), end_time=timezone.localtime(self.instance.ends_at).time()
            )
        self.helper = _helper(
            Fieldset("行事", "kind", "title", "description"),
            Fieldset("日時・会場", "day", "start_time", "end_time", "place"),
            Fieldset("申込", "capacity", "audience", "organiser"),
            Fieldset("会議との同時開催", "meeting"),
        )

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if capacity < 1:
            raise forms.ValidationError("定員は1人以上にしてください。")
        return capacity

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("day"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and start and end:
            if end <= start:
                self.add_error("end_time", "終了時刻は開始時刻より後にしてください。")
            tz = timezone.get_current_timezone()
            cleaned["starts_at"] = timezone.make_aware(datetime.datetime.combine(day, start), tz)
            cleaned["ends_at"] = timezone.make_aware(datetime.datetime.combine(day, end), tz)
        return cleaned

    def event_data(self) -> dict:
        data = {field: self.cleaned_data[field] for field in self.Meta.fields}
        data.update(starts_at=self.cleaned_data["starts_at"], ends_at=self.cleaned_data["ends_at"])
        return data


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.name_kana}）" if obj.name_kana else obj.name


class MemberRegistrationForm(forms.Form):
    """A member registers one person of their own body: a current person of the body from the list, or by name
    someone of the body who has no entry in the system (exactly one of the two)."""

    person = PersonChoiceField(
        label="自機関の人",
        queryset=None,
        required=False,
        empty_label="（一覧にいない人は下に氏名を入力）",
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": "自機関の現在の担当者だけを申し込めます。"},
    )
    name = forms.CharField(
        label="一覧にいない人の氏名",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    name_kana = forms.CharField(
        label="フリガナ",
        max_length=100,
        required=False,
        help_text="カタカナで入力してください。",
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, body: Body | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.current().filter(body=body) if body is not None else Person.objects.none()
        self.fields["person"].queryset = people.order_by("name_kana", "name", "id")
        self.helper = _helper()

    def clean_name(self):
        return normalise_text(self.cleaned_data["name"])

    def clean_name_kana(self):
        value = self.cleaned_data["name_kana"]
        return clean_katakana(value) if value else ""

    def clean(self):
        cleaned = super().clean()
        person, name = cleaned.get("person"), cleaned.get("name")
        if "person" in self.errors:
            return cleaned
        if (person is None) == (not name):
            raise forms.ValidationError(
                "申し込む人を一覧から選ぶか、一覧にいない人の氏名を入力してください（どちらか一方）。"
            )
        if name:
            # Someone of the list typed by hand would be a second, unlinked registration of the same person.
            def bare(value: str) -> str:
                return "".join(normalise_text(value).split())

            listed = next((p for p in self.fields["person"].queryset if bare(p.name) == bare(name)), None)
            if listed is not None:
                self.add_error("name", f"{listed.name} さんは一覧にいます。一覧から選んでください。")
        return cleaned


class PublicRegistrationForm(BotDefenceMixin, forms.ModelForm):
    """The public event form; the same bot defences as the business signup (registry.forms.BotDefenceMixin)."""

    privacy_accepted = forms.BooleanField(
        label="申込内容は行事の運営にだけ使い、行事の1年後に削除することに同意します。",
        error_messages={"required": "申込には同意が必要です。"},
    )
    # Honeypot: hidden from people, filled in by bots that complete every field.
    nickname = forms.CharField(label="この欄は入力しないでください", required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Registration
        fields = ["name", "name_kana", "email"]
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "email"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name_kana"].required = True
        self.fields["email"].required = True
        self.fields["name_kana"].help_text = "カタカナで入力してください。"
        if not self.is_bound:
            self.initial["started"] = signup_started_token()
        self.helper = _helper(
            "name",
            "name_kana",
            "email",
            "privacy_accepted",
            Field("nickname", wrapper_class="visually-hidden", autocomplete="off", tabindex="-1"),
            "started",
        )

    def clean_name(self):
        return normalise_text(self.cleaned_data["name"])

    def clean_name_kana(self):
        return clean_katakana(self.cleaned_data["name_kana"])


class PlacementFilterForm(forms.Form):
    GROUPS = [("area", "地域別"), ("material", "啓発物別")]

    group = forms.ChoiceField(label="並べ方", choices=GROUPS, required=False)
    material = forms.ModelChoiceField(
        label="啓発物",
        queryset=Material.objects.all(),
        required=False,
        empty_label="すべて",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    in_city = forms.ChoiceField(
        label="市内・市外",
        choices=[("", "すべて"), ("in", "市内"), ("out", "市外")],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    include_removed = forms.BooleanField(
        label="撤去済みも表示", required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )


class PostForm(forms.ModelForm):
    """A bulletin post. Text that looks like personal data is warned about (outreach.personal_data); the
    author posts it only after ticking `confirmed`."""

    confirmed = forms.BooleanField(
        label="個人やケースを特定できる情報が含まれていないことを確認しました。", required=False
    )

    class Meta:
        model = Post
        fields = ["category", "title", "text", "attachment"]
        widgets = {"text": forms.Textarea(attrs={"rows": 8}), "attachment": forms.ClearableFileInput()}
        help_texts = {"attachment": "PDF・Excel・Word・画像（20MBまで）。"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "選択してください"), *Post.Category.choices]
        self.warnings: list[str] = []
        self.helper = _helper("category", "title", "text", "attachment")

    def clean_title(self):
        return normalise_text(self.cleaned_data["title"])

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload and hasattr(upload, "content_type"):
            check_upload(upload, kinds=DOCUMENTS)
        return upload

    def clean(self):
        cleaned = super().clean()
        self.warnings = personal_data_warnings(f"{cleaned.get('title', '')}\n{cleaned.get('text', '')}")
        if self.warnings and not cleaned.get("confirmed"):
            raise forms.ValidationError(
                "個人情報のような記載があります。内容を見直すか、問題がないことを確認してから投稿してください。",
                code="personal_data",
            )
        return cleaned

    def post_data(self) -> dict:
        data = {field: self.cleaned_data[field] for field in ("category", "title", "text")}
        if self.cleaned_data.get("attachment"):
            data["attachment"] = self.cleaned_data["attachment"]
        return data


class CommentForm(forms.Form):
    text = forms.CharField(label="コメント", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ReportForm(forms.Form):
    reason = forms.CharField(label="報告の理由", max_length=300)


class DigestChoiceForm(forms.Form):
    frequency = forms.ChoiceField(
        label="掲示板のまとめメール", choices=DigestChoice.Frequency.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ActivityReportForm(forms.ModelForm):
    class Meta:
        model = ActivityReport
        fields = ["posters", "leaflets", "event_attendees", "gatekeepers", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean_text(self):
        return self.cleaned_data["text"].strip()
