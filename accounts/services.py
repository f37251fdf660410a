"""Two-factor devices: enrolment of the authenticator app, backup codes, and token checks.

The device models are django-otp's (TOTPDevice, StaticDevice); they keep no
simple-history, but every failed check is written to audit.SignInEvent by the views.
"""

import hashlib
import math
import re
from binascii import unhexlify

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp import verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import UserSession
from audit.models import SignInEvent
from audit.services import signin_event

TOTP_DEVICE_NAME = "認証アプリ"
STATIC_DEVICE_NAME = "バックアップコード"
BACKUP_CODE_COUNT = 8
# A TOTP token is six digits; a backup code is eight base32 letters and digits.
TOTP_TOKEN = re.compile(r"\d{6}")

REFUSED_MESSAGE = "確認コードが正しくありません。"


def normalise_token(token: str) -> str:
    return re.sub(r"[\s-]", "", token).lower()


def totp_key_new() -> str:
    """A fresh hex-encoded secret for an authenticator app (not stored until confirmed)."""
    from django_otp.plugins.otp_totp.models import default_key

    return default_key()


def totp_match(*, key: str, token: str) -> int | None:
    """The time step a token matches for the secret `key` (one step of clock drift allowed), or None."""
    if not TOTP_TOKEN.fullmatch(token):
        return None
    totp = TOTP(unhexlify(key.encode()))
    if not totp.verify(int(token), tolerance=1):
        return None
    return totp.t()


@transaction.atomic
def two_factor_enroll(*, user, key: str, token: str, verified: bool, by) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator app holding `key` with one of its tokens, and issue fresh backup codes.

    An account that has a confirmed device must pass its second factor (`verified`) before it may
    enrol another one, and nobody enrols a second authenticator app: the admin removes the old one.
    """
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        raise ValidationError("認証アプリはすでに設定されています。")
    if not verified and StaticDevice.objects.devices_for_user(user, confirmed=True).exists():
        raise ValidationError("先にバックアップコードで本人確認をしてください。")
    t = totp_match(key=key, token=normalise_token(token))
    if t is None:
        raise ValidationError(REFUSED_MESSAGE)
    # last_t: the token just used cannot verify a sign-in a second time.
    device = TOTPDevice(user=user, name=TOTP_DEVICE_NAME, key=key, confirmed=True, last_t=t)
    device.full_clean()
    device.save()
    codes = backup_codes_add(user=user, count=BACKUP_CODE_COUNT, replace=True, by=by)
    return device, codes


@transaction.atomic
def totp_device_create(*, user, by) -> TOTPDevice:
    """A confirmed authenticator device with a random secret (demo accounts and tests)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    if device is not None:
        return device
    device = TOTPDevice(user=user, name=TOTP_DEVICE_NAME, confirmed=True)
    device.full_clean()
    device.save()
    return device


@transaction.atomic
def backup_codes_add(*, user, count: int = 1, replace: bool = False, by) -> list[str]:
    """Add `count` single-use backup codes (replacing the old ones when `replace`) and return them.

    The codes are shown to the person once; they cannot be read back from any page.
    """
    device = StaticDevice.objects.devices_for_user(user, confirmed=True).first()
    if device is None:
        device = StaticDevice(user=user, name=STATIC_DEVICE_NAME, confirmed=True)
        device.full_clean()
        device.save()
    elif replace:
        device.token_set.all().delete()
    codes = []
    for _ in range(count):
        token = StaticToken(device=device, token=StaticToken.random_token())
        token.full_clean()
        token.save()
        codes.append(token.token)
    return codes


def two_factor_verify(*, user, token: str):
    """The confirmed device that accepts `token` (an app token or a backup code); ValidationError if none does.

    Each device throttles its own failures (1, 2, 4, ... seconds); a throttled device refuses even a
    right token until the wait is over. A backup code is spent by the check that accepts it.
    """
    token = normalise_token(token)
    model = TOTPDevice if TOTP_TOKEN.fullmatch(token) else StaticDevice
    locked_until = None
    for device in model.objects.devices_for_user(user, confirmed=True):
        allowed, info = device.verify_is_allowed()
        if not allowed:
            locked_until = max(locked_until or info["locked_until"], info["locked_until"])
            continue
        # verify_token re-reads the device FOR UPDATE and records the failure for throttling.
        accepted = verify_token(user, device.persistent_id, token)
        if accepted is not None:
            return accepted
    if locked_until is not None:
        wait = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
        raise ValidationError(f"確認コードの誤りが続いたため、{wait}秒ほど待ってからもう一度入力してください。")
    raise ValidationError(REFUSED_MESSAGE)


def user_sessions_end(*, user, always_record: bool = False, keep: str | None = None) -> int:
    """End every session of `user` at once (the rows go, so no cookie can come back to life) and record it.

    Called when an account is deactivated (by the admin, a body's withdrawal, the end of a membership) and
    when its password is set by anyone: accounts.receivers watches the account row, so no path is missed.
    A person who changes their own password keeps the session they did it in (`keep`, its key).
    Returns the number of sessions ended; the SESSIONS_ENDED row is written when there were any, or always
    with `always_record`.
    """
    ended, _ = UserSession.objects.filter(user_id=user.pk).exclude(session_key=keep or "").delete()
    if ended or always_record:
        signin_event(kind=SignInEvent.Kind.SESSIONS_ENDED, user=user, username=user.get_username())
    return ended


# At most this many reset mails per address and hour, whoever asks (the page's per-IP limit is separate).
RESET_MAILS_PER_ADDRESS = 3


def _reset_mail_allowed(email: str) -> bool:
    key = "password-reset:" + hashlib.sha256(email.lower().encode()).hexdigest()
    if cache.add(key, 1, timeout=3600):
        return True
    try:
        return cache.incr(key) <= RESET_MAILS_PER_ADDRESS
    except ValueError:
        cache.set(key, 1, timeout=3600)
        return True


def password_reset_users(email: str) -> list:
    """Accounts a reset link may go to: active, with a usable password, the address on the account, and still
    acting for the network (or an administrator's account, which has no person)."""
    from registry.roles import current_person

    User = get_user_model()
    users = User.objects.filter(email__iexact=email, is_active=True).select_related("person__body")
    return [
        user
        for user in users
        if user.has_usable_password() and (not hasattr(user, "person") or current_person(user) is not None)
    ]


@transaction.atomic
def password_reset_request(*, email: str, request) -> int:
    """Mail a one-time password-set link to each account with `email`; record the request either way.

    The answer is the same whether or not the address is known; the log row names the account only when
    there is one (never the address typed). Returns the number of links sent.
    """
    from registry import emails

    users = password_reset_users(email) if _reset_mail_allowed(email) else []
    for user in users:
        emails.password_reset(user, path=password_reset_path(user))
        signin_event(kind=SignInEvent.Kind.RESET_REQUESTED, request=request, user=user, username=user.get_username())
    if not users:
        signin_event(kind=SignInEvent.Kind.RESET_REQUESTED, request=request)
    return len(users)


def password_reset_path(user) -> str:
    return reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
