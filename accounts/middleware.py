"""Session limits and the two-factor gate, on every request of a signed-in person.

Both sit after registry.middleware.MembershipMiddleware (which loads the person and so the role)
and before the pledge gate: a person does their second factor before the Art. 10 pledge page.
"""

import functools
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages.storage import default_storage
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY, user_has_device
from django_otp.middleware import OTPMiddleware as BaseOTPMiddleware

from accounts import sessions
from accounts.access import TWO_FACTOR_EXEMPT_URL_NAMES, requires_two_factor
from audit.models import SignInEvent
from audit.services import signin_event

EXPIRED_MESSAGES = {
    sessions.IDLE: "一定時間操作がなかったため、ログアウトしました。もう一度ログインしてください。",
    sessions.ABSOLUTE: "ログインから長時間が経過したため、ログアウトしました。もう一度ログインしてください。",
}


class OTPMiddleware(BaseOTPMiddleware):
    """django-otp's middleware, reading the verifying device at most once a minute instead of on every page.

    The device id sits in the server-side session, where only django_otp.login puts it; re-reading
    the device serves to notice one the admin removed, and a minute's delay is enough for that.
    (Overrides a private method of django-otp 1.x; accounts/tests/test_two_factor.py pins the behaviour.)
    """

    def _verify_user_sync(self, request, user):
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY) if user.is_authenticated else None
        checked = request.session.get(sessions.OTP_CHECKED) if persistent_id else None
        now = time.time()
        if checked and checked[0] == persistent_id and 0 <= now - checked[1] < sessions.OTP_RECHECK_SECONDS:
            self._init_user_fields(user)
            user.otp_device = SimpleLazyObject(functools.partial(self._device_from_persistent_id, persistent_id))
            return user
        user = super()._verify_user_sync(request, user)
        if user.otp_device is not None:
            request.session[sessions.OTP_CHECKED] = [persistent_id, now]
        return user


class SessionLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and requires_two_factor(user):
            reason = sessions.expired(request)
            if reason is not None:
                return self._end(request, reason)
        return self.get_response(request)

    def _end(self, request, reason):
        user = request.user
        signin_event(kind=SignInEvent.Kind.SESSION_EXPIRED, request=request, user=user, username=user.get_username())
        logout(request)
        # MessageMiddleware sits further in and does not see this response: store the message here.
        request._messages = default_storage(request)
        messages.warning(request, EXPIRED_MESSAGES[reason])
        response = redirect_to_login(request.get_full_path())
        request._messages.update(response)
        return response


class TwoFactorGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and requires_two_factor(user)
            and not user.is_verified()
            and not request.path.startswith(settings.STATIC_URL)
            and _url_name(request) not in TWO_FACTOR_EXEMPT_URL_NAMES
        ):
            target = "accounts:otp_verify" if user_has_device(user) else "accounts:otp_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def _url_name(request) -> str:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""
