from crispy_forms.helper import FormHelper
from django import forms


class TokenForm(forms.Form):
    """One field: a six-digit code from the authenticator app, or (on the verify page) a backup code."""

    token = forms.CharField(
        label="確認コード",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )

    def __init__(self, *args, help_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].help_text = help_text
        self.helper = FormHelper()
        self.helper.form_tag = False
