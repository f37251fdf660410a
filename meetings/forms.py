from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms

from ageo_network.japanese import normalise_text
from meetings.models import AgendaItem, Attendee, FollowUpAction, Meeting
from registry.models import Body, Person
from registry.roles import MEETING_ROLES


def _helper(*fieldsets) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    if fieldsets:
        helper.layout = Layout(*fieldsets)
    return helper


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return f"{person.name}（{person.body.name}）"


class MeetingForm(forms.ModelForm):
    """Date, times, place or link, chair and the answer deadline. The type is chosen once, at creation."""

    kind = forms.ChoiceField(label="会議の種類", choices=Meeting.Kind.choices)
    chair = PersonChoiceField(label="議長", queryset=Person.objects.none(), required=False)

    class Meta:
        model = Meeting
        fields = ["date", "start_time", "end_time", "place", "online_url", "chair", "answer_by", "next_meeting"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "answer_by": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is None:
            del self.fields["kind"]
        else:
            self.fields["kind"].choices = [(k, label) for k, label in Meeting.Kind.choices if k in kinds]
        self.fields["chair"].queryset = (
            Person.objects.current().filter(role__in=MEETING_ROLES).select_related("body").order_by("body__name")
        )
        names = [n for n in ("kind",) if n in self.fields]
        self.helper = _helper(
            Fieldset("会議", *names, "date", "start_time", "end_time", "place", "online_url"),
            Fieldset("運営", "chair", "answer_by", "next_meeting"),
        )

    def clean_place(self):
        return normalise_text(self.cleaned_data["place"])

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "終了時刻は開始時刻より後にしてください。")
        if not cleaned.get("place") and not cleaned.get("online_url"):
            self.add_error("place", "場所かオンライン参加のURLを入力してください。")
        answer_by, day = cleaned.get("answer_by"), cleaned.get("date")
        if answer_by and day and answer_by > day:
            self.add_error("answer_by", "回答期限は開催日以前にしてください。")
        return cleaned

    def meeting_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class InviteForm(forms.Form):
    bodies = forms.ModelMultipleChoiceField(
        label="招集する機関", queryset=Body.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        invited = meeting.invitations.values("body_id")
        self.fields["bodies"].queryset = Body.objects.active().exclude(pk__in=invited)
        self.helper = _helper()


class AnswerForm(forms.Form):
    attending = forms.TypedChoiceField(
        label="回答",
        choices=[("yes", "出席します"), ("no", "欠席します")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    people = forms.ModelMultipleChoiceField(
        label="出席する方", queryset=Person.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = Person.objects.current().filter(body=body, role__in=MEETING_ROLES)
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("attending") and not cleaned.get("people"):
            self.add_error("people", "出席する方を選んでください。")
        return cleaned


class AgendaItemForm(forms.ModelForm):
    case_number = forms.CharField(
        label="ケース番号", max_length=20, required=False, help_text="検討するケースの番号（例：R6-0001）"
    )

    class Meta:
        model = AgendaItem
        fields = ["title", "matter", "presenter", "planned_minutes"]

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].choices = meeting.matter_choices()
        if meeting.is_case_review:
            self.fields["title"].help_text = "本人の氏名は書かず、ケース番号だけで表してください。"
        else:
            del self.fields["case_number"]
        self.helper = _helper()

    def item_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReviewSheetForm(forms.Form):
    case = forms.ChoiceField(label="ケース")
    fields = forms.MultipleChoiceField(label="シートに載せる項目", widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, cases, **kwargs):
        from cases.models import PacketField

        super().__init__(*args, **kwargs)
        self.cases = {str(case.uuid): case for case in cases}
        self.fields["case"].choices = [(key, case.number) for key, case in self.cases.items()]
        self.fields["fields"].choices = PacketField.choices
        self.helper = _helper()

    def clean_case(self):
        return self.cases[self.cleaned_data["case"]]


class MinutesItemForm(forms.ModelForm):
    """Per agenda item: 議事の経過 and 決定事項."""

    class Meta:
        model = AgendaItem
        fields = ["discussion", "decisions"]
        widgets = {"discussion": forms.Textarea(attrs={"rows": 6}), "decisions": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ActionForm(forms.ModelForm):
    class Meta:
        model = FollowUpAction
        fields = ["body", "description", "due_on"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.active()
        self.helper = _helper()


class AttendanceForm(forms.Form):
    """One choice per expected attendee, named by the attendee's id."""

    def __init__(self, *args, attendees, **kwargs):
        super().__init__(*args, **kwargs)
        self.attendees = list(attendees)
        for attendee in self.attendees:
            self.fields[f"a{attendee.pk}"] = forms.ChoiceField(
                label=f"{attendee.affiliation}　{attendee.display_name}",
                choices=Attendee.Attendance.choices,
                initial=attendee.attendance,
            )
        self.helper = _helper()

    def states(self) -> dict[int, str]:
        return {a.pk: self.cleaned_data[f"a{a.pk}"] for a in self.attendees}


class ExternalAttendeeForm(forms.Form):
    name = forms.CharField(label="氏名", max_length=100)
    affiliation = forms.CharField(label="所属", max_length=200)
    pledge_received = forms.BooleanField(label="守秘義務の誓約書（紙）を受領した", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class _Plain(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class CirculateForm(_Plain):
    confirm_by = forms.DateField(
        label="確認の期限", widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )


class CorrectionForm(_Plain):
    text = forms.CharField(
        label="修正の提案",
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control", "placeholder": "この議題への修正の提案"}),
    )


class CorrectionDecisionForm(_Plain):
    accept = forms.TypedChoiceField(
        label="判断",
        choices=[("yes", "反映する"), ("no", "反映しない（回答する）")],
        coerce=lambda v: v == "yes",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    answer = forms.CharField(
        label="回答",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm", "placeholder": "回答"}),
    )


class ErratumForm(_Plain):
    text = forms.CharField(label="訂正の内容", widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label="訂正の理由", max_length=300)


class MaterialForm(_Plain):
    title = forms.CharField(label="資料名", max_length=200, required=False)
    file = forms.FileField(label="ファイル（PDF・xlsx・docx・画像）")

    def clean_file(self):
        from ageo_network.uploads import check_upload

        uploaded = self.cleaned_data["file"]
        self.kind = check_upload(uploaded)
        return uploaded


class DecisionPlanForm(_Plain):
    service = forms.ChoiceField(label="サービス", widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    responsible_body = forms.ModelChoiceField(
        label="担当する機関",
        queryset=Body.objects.none(),
        empty_label="担当する機関",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    due_on = forms.DateField(
        label="期日",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, **kwargs):
        from cases.models import ServiceKind

        super().__init__(*args, **kwargs)
        self.fields["service"].choices = ServiceKind.choices
        self.fields["responsible_body"].queryset = Body.objects.active().exclude(kind=Body.Kind.BUSINESS)
