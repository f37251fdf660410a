from django.db.models.signals import post_migrate


def _install_triggers(sender, using="default", **kwargs):
    from audit import triggers

    # After every migrate, so history tables of apps added later are covered too.
    triggers.install(using)


def connect():
    from audit import receivers  # noqa: F401

    post_migrate.connect(_install_triggers, dispatch_uid="audit.append_only_triggers")
