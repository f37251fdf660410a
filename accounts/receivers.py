from axes.helpers import get_failure_limit
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django_otp import DEVICE_ID_SESSION_KEY

from accounts import services, sessions
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


# Fields of the account row whose change ends every session of the account.
_WATCHED = ("is_active", "password")


@receiver(pre_save, sender=get_user_model(), dispatch_uid="accounts.user_before_save")
def remember_account_state(sender, instance, update_fields=None, raw=False, **kwargs):
    instance._ends_sessions = None
    if raw or instance.pk is None or (update_fields is not None and not set(update_fields) & set(_WATCHED)):
        return
    before = sender.objects.filter(pk=instance.pk).values(*_WATCHED).first()
    if before is None:
        return
    deactivated = before["is_active"] and not instance.is_active
    if deactivated or before["password"] != instance.password:
        instance._ends_sessions = "deactivated" if deactivated else "password"


@receiver(post_save, sender=get_user_model(), dispatch_uid="accounts.user_after_save")
def end_sessions_of_changed_account(sender, instance, raw=False, **kwargs):
    # Deactivation (the admin, a withdrawal, the end of a membership) and a password set by anyone end every
    # session of the account at once: a re-activated account signs in afresh, with both factors.
    reason = getattr(instance, "_ends_sessions", None)
    if raw or reason is None:
        return
    instance._ends_sessions = None
    keep = getattr(instance, "keep_session_key", None)  # set by accounts.views.PasswordChangeView
    services.user_sessions_end(user=instance, always_record=reason == "deactivated", keep=keep)
