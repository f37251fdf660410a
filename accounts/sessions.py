"""The session clock of the two-factor roles: 30 minutes idle, 12 hours from sign-in (both configurable).

Times are Unix seconds in the session. The last-seen time is written at most once a minute, so a
page view does not cost a session UPDATE each time; the idle limit is therefore exact to a minute.
"""

import datetime
import time

from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.access import requires_two_factor, session_limits

SIGNED_IN_AT = "accounts_signed_in_at"
SEEN_AT = "accounts_seen_at"
SEEN_RESOLUTION = 60

# [persistent id, Unix time]: when the device that verified this session was last read from the database.
OTP_CHECKED = "accounts_otp_checked"
OTP_RECHECK_SECONDS = 60

IDLE = "idle"
ABSOLUTE = "absolute"


def _now() -> float:
    return timezone.now().timestamp()


def start(request, user) -> None:
    """Start the clock at sign-in. The database row and the cookie end with the absolute limit too."""
    now = _now()
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now
    if requires_two_factor(user):
        idle, absolute = session_limits()
        # A little past the absolute limit, so that the middleware, not a vanished row, ends the session
        # and the expiry is recorded.
        request.session.set_expiry(timezone.now() + datetime.timedelta(seconds=absolute + idle))


def expired(request) -> str | None:
    """IDLE or ABSOLUTE when the signed-in two-factor session is over; else None (and note the activity)."""
    session = request.session
    now = _now()
    signed_in_at = session.get(SIGNED_IN_AT)
    seen_at = session.get(SEEN_AT)
    if signed_in_at is None or seen_at is None:
        # A session from before this clock existed: start counting now.
        session[SIGNED_IN_AT] = session[SEEN_AT] = now
        return None
    idle, absolute = session_limits()
    if now - signed_in_at >= absolute:
        return ABSOLUTE
    if now - seen_at >= idle:
        return IDLE
    if now - seen_at >= SEEN_RESOLUTION:
        session[SEEN_AT] = now
    return None


def two_factor_session_data(device) -> dict:
    """The session entries of a two-factor-verified sign-in: what django_otp.login stores, and the read time."""
    return {DEVICE_ID_SESSION_KEY: device.persistent_id, OTP_CHECKED: [device.persistent_id, time.time()]}
