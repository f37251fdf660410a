from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.models import SignInEvent
from audit.services import signin_event


@receiver(user_logged_in, dispatch_uid="audit.login")
def on_login(sender, request, user, **kwargs):
    signin_event(kind=SignInEvent.Kind.LOGIN, request=request, user=user, username=user.get_username())


@receiver(user_logged_out, dispatch_uid="audit.logout")
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        signin_event(kind=SignInEvent.Kind.LOGOUT, request=request, user=user, username=user.get_username())


@receiver(user_login_failed, dispatch_uid="audit.failure")
def on_failure(sender, credentials, request=None, **kwargs):
    signin_event(kind=SignInEvent.Kind.FAILURE, request=request, username=str(credentials.get("username", "")))
