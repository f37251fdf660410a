import datetime

from django import forms
from django.utils import timezone

from audit.models import AccessLog, SignInEvent
from registry.models import Body


class AuditFilterForm(forms.Form):
    person = forms.CharField(label="担当者（氏名・ユーザー名）", required=False, max_length=100)
    # A name search, not a drop-down of every body (2,000 options on every audit screen); `body` keeps the
    # exact choice for links that name one body.
    body_name = forms.CharField(label="所属機関（名称の一部）", required=False, max_length=100)
    body = forms.ModelChoiceField(required=False, queryset=Body.objects.all(), widget=forms.HiddenInput)
    date_from = forms.DateField(label="開始日", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="終了日", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    target = forms.CharField(label="対象（ケース番号・ID）", required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Rendered by audit/_filter.html as plain Bootstrap markup: crispy's field templates were a third of an
        # audit screen's template time (seven fields on every opening of a screen the auditors page through).
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs = {**widget.attrs, "class": widget.attrs["class"] + " is-invalid", "aria-invalid": "true"}

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("開始日は終了日より前の日付にしてください。")
        return data

    def day_bounds(self):
        """Aware datetimes [start, end) in Tokyo time for the chosen dates."""
        tz = timezone.get_current_timezone()
        start = end = None
        if self.cleaned_data.get("date_from"):
            start = datetime.datetime.combine(self.cleaned_data["date_from"], datetime.time.min, tz)
        if self.cleaned_data.get("date_to"):
            end = datetime.datetime.combine(
                self.cleaned_data["date_to"] + datetime.timedelta(days=1), datetime.time.min, tz
            )
        return start, end


class AccessFilterForm(AuditFilterForm):
    action = forms.ChoiceField(label="操作", required=False, choices=[("", "すべて"), *AccessLog.Action.choices])
    outcome = forms.ChoiceField(label="結果", required=False, choices=[("", "すべて"), *AccessLog.Outcome.choices])


class SignInFilterForm(AuditFilterForm):
    kind = forms.ChoiceField(label="種類", required=False, choices=[("", "すべて"), *SignInEvent.Kind.choices])
