"""The explicit system account that management commands act as.

History rows written by a command name this account instead of nobody. It
cannot sign in: it is inactive and has no usable password.
"""

from django.contrib.auth import get_user_model

SYSTEM_USERNAME = "system"


def system_user():
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_active": False, "first_name": "システム"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
