from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core import validators

from ageo_network.forms import NamedRequiredMixin
from registry.roles import current_person

# Longer passwords only cost hashing time; no person types more.
PASSWORD_MAX_LENGTH = 1024


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


class LoginForm(NamedRequiredMixin, AuthenticationForm):
    """Django's sign-in form, with its limits enforced and people who have left refused like a wrong password.

    Django sets the user name's max_length after the field is built, so no validator checks it: a name
    longer than django-axes' 255-character column reached the database (a 500 anyone could cause).
    """

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.validators.append(validators.MaxLengthValidator(username.max_length))
        _limit_password(self.fields["password"])
        self.helper = FormHelper()
        self.helper.form_tag = False

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        # A person whose membership has ended (their leaving day came before the daily job deactivated the
        # account) gets the same answer as a wrong password: nothing tells whether the name exists.
        if hasattr(user, "person") and current_person(user) is None:
            raise self.get_invalid_login_error()


def _limit_password(field) -> None:
    field.max_length = PASSWORD_MAX_LENGTH
    field.validators.append(validators.MaxLengthValidator(PASSWORD_MAX_LENGTH))


class NewPasswordForm(NamedRequiredMixin, SetPasswordForm):
    """Setting a password from an emailed link (activation, password reset), with a length limit."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        _limit_password(self.fields["new_password1"])
        _limit_password(self.fields["new_password2"])


class PasswordResetRequestForm(NamedRequiredMixin, forms.Form):
    email = forms.EmailField(label="メールアドレス", max_length=254, widget=forms.EmailInput(attrs={"autofocus": True}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = "登録されているメールアドレスを入力してください。"
        self.helper = FormHelper()
        self.helper.form_tag = False
