from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.db.models.signals import post_migrate


def _sync_roles(sender, using="default", **kwargs):
    from registry.services import sync_role_groups

    # post_migrate fires once per app; make sure every app's permissions exist
    # before the groups point at them.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    sync_role_groups()
    _ensure_first_pledge_version()


def _ensure_first_pledge_version():
    """The data migration publishes version 1; a database flush (as in transactional tests) must not lose it."""
    from registry.models import ARTICLE_10_TEXT, PledgeVersion

    if not PledgeVersion.objects.exists():
        PledgeVersion.objects.create(number=1, text=ARTICLE_10_TEXT)


def connect():
    post_migrate.connect(_sync_roles, dispatch_uid="registry.sync_role_groups")
