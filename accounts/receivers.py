from axes.helpers import get_failure_limit
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django_otp import DEVICE_ID_SESSION_KEY

from accounts import sessions
from audit.models import SignInEvent
from audit.services import signin_event


@receiver(user_logged_in, dispatch_uid="accounts.session_start")
def on_login(sender, request, user, **kwargs):
    # Every password sign-in owes its second factor again, even by the same person in the same browser.
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    sessions.start(request, user)


@receiver(user_locked_out, dispatch_uid="accounts.lockout")
def on_lockout(sender, request, username, **kwargs):
    # axes sends the signal again for every refused attempt while the lock holds; those attempts are
    # already FAILURE rows. Record the moment the account locks: the attempt whose failure was counted.
    failures = getattr(request, "axes_failures_since_start", None)
    credentials = getattr(request, "axes_credentials", None)
    if failures is None or failures > get_failure_limit(request, credentials):
        return
    user = get_user_model().objects.filter(username=username).first() if username else None
    signin_event(kind=SignInEvent.Kind.LOCKOUT, request=request, user=user, username=username or "")
