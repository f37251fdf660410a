"""What every form of the site does the same way: required-field errors that name the field."""

from django import forms

# Django's own message, as it stands before a form names the field.
_GENERIC_REQUIRED = forms.Field.default_error_messages["required"]


def required_message(field: forms.Field) -> str:
    """「代表者名を入力してください。」, 「種類を選んでください。」, 「「…」にチェックを入れてください。」."""
    label = str(field.label or "").rstrip("*：: ")
    widget = field.widget
    if isinstance(field, forms.BooleanField):
        return f"「{label}」にチェックを入れてください。"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return f"{label}を1つ以上選んでください。"
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField) or isinstance(widget, forms.Select):
        return f"{label}を選んでください。"
    return f"{label}を入力してください。"


class NamedRequiredMixin:
    """Put first in a form's bases: each required field without a message of its own gets one naming it,
    instead of 「この項目を入力してください。」 at a field the person has to find."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.required and str(field.error_messages.get("required")) == str(_GENERIC_REQUIRED):
                field.error_messages = {**field.error_messages, "required": required_message(field)}
