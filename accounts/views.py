from base64 import b32encode
from binascii import unhexlify

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services, sessions
from accounts.access import refuse_two_factor_page, requires_two_factor
from accounts.forms import NewPasswordForm, PasswordResetRequestForm, TokenForm
from audit.models import SignInEvent
from audit.services import signin_event
from registry.access import rate_limited

# The secret shown on the set-up page lives in the session until a token confirms it.
SETUP_KEY = "accounts_totp_setup_key"


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return ""
    return url


def _two_factor_login(request, device):
    # What django_otp.login does, plus the time the device was read (see accounts.middleware.OTPMiddleware).
    request.session.update(sessions.two_factor_session_data(device))
    request.user.otp_device = device


def _otp_failure(request):
    user = request.user
    signin_event(kind=SignInEvent.Kind.OTP_FAILURE, request=request, user=user, username=user.get_username())


@never_cache
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Set up the authenticator app: QR code and secret, confirmed by a token; then backup codes, shown once."""
    user = request.user
    if not requires_two_factor(user):
        refuse_two_factor_page(request)
    next_url = _next_url(request)
    verified = user.is_verified()
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists() or (not verified and user_has_device(user)):
        return redirect(next_url or "home") if verified else redirect("accounts:otp_verify")
    key = request.session.get(SETUP_KEY)
    if key is None:
        key = request.session[SETUP_KEY] = services.totp_key_new()
    form = TokenForm(request.POST or None, help_text="認証アプリに表示される6桁の数字を入力してください。")
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.two_factor_enroll(
                user=user, key=key, token=form.cleaned_data["token"], verified=verified, by=user
            )
        except ValidationError as error:
            _otp_failure(request)
            form.add_error("token", error)
        else:
            del request.session[SETUP_KEY]
            _two_factor_login(request, device)
            messages.success(request, "二要素認証を設定しました。")
            # Rendered, not redirected: the codes exist in this response only.
            return render(request, "accounts/backup_codes.html", {"codes": codes, "next": next_url})
    device = TOTPDevice(user=user, key=key)
    context = {
        "form": form,
        "next": next_url,
        "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=5),
        "secret": " ".join(_groups(b32encode(unhexlify(key)).decode(), 4)),
    }
    return render(request, "accounts/otp_setup.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """The second step of sign-in: a token from the authenticator app, or a backup code."""
    user = request.user
    if not requires_two_factor(user):
        refuse_two_factor_page(request)
    next_url = _next_url(request)
    if user.is_verified():
        return redirect(next_url or "home")
    if not user_has_device(user):
        return redirect("accounts:otp_setup")
    form = TokenForm(
        request.POST or None, help_text="認証アプリの6桁の数字、またはバックアップコードを入力してください。"
    )
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_verify(user=user, token=form.cleaned_data["token"])
        except ValidationError as error:
            _otp_failure(request)
            form.add_error("token", error)
        else:
            _two_factor_login(request, device)
            return redirect(next_url or "home")
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, with the change written to the sign-in log."""

    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        # Every other session of the account ends (accounts.receivers); this one carries on.
        form.user.keep_session_key = self.request.session.session_key
        response = super().form_valid(form)
        user = form.user
        signin_event(
            kind=SignInEvent.Kind.PASSWORD_CHANGE, request=self.request, user=user, username=user.get_username()
        )
        return response


PASSWORD_RESET_RATE = (10, 3600)  # requests per IP per hour; override with settings.PASSWORD_RESET_RATE_LIMIT


@login_not_required
@rate_limited("password_reset", setting="PASSWORD_RESET_RATE_LIMIT", default=PASSWORD_RESET_RATE)
@require_http_methods(["GET", "HEAD", "POST"])
def password_reset(request):
    """Forgotten password: a link by mail. The answer never tells whether the address is known."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_reset_request(email=form.cleaned_data["email"], request=request)
        return redirect("password_reset_done")
    return render(request, "registration/password_reset_form.html", {"form": form})


@login_not_required
@require_safe
def password_reset_done(request):
    return render(request, "registration/password_reset_done.html")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The emailed link: a new password, then an ordinary login (with the second factor for the roles that
    have one). Setting it ends every other session of the account (accounts.receivers)."""

    form_class = NewPasswordForm
    success_url = reverse_lazy("password_reset_complete")
    http_method_names = ["get", "head", "post", "options"]

    def dispatch(self, *args, **kwargs):
        # PasswordResetConfirmView answers an invalid link before View.dispatch checks the method.
        if self.request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(self.request, *args, **kwargs)
        return super().dispatch(*args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        signin_event(
            kind=SignInEvent.Kind.PASSWORD_CHANGE, request=self.request, user=user, username=user.get_username()
        )
        return response


@login_not_required
@require_safe
def password_reset_complete(request):
    return render(request, "registration/password_reset_complete.html")


def csrf_failure(request, reason=""):
    """A form sent with a stale or missing token (typically signed out, or in again, in another tab)."""
    # Django has already logged the refusal (one line); `reason` is for developers and is not shown.
    return render(request, "403_csrf.html", {"signed_in": request.user.is_authenticated}, status=403)


def lockout(request, original_response=None, credentials=None):
    """django-axes' answer while a user name is locked: the same page whether or not the name exists."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request, "accounts/lockout.html", {"cooloff_minutes": minutes}, status=settings.AXES_HTTP_RESPONSE_CODE
    )


def _groups(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]
