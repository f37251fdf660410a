"""How a person is named to whoever is looking."""

from django import template

from registry.models import Person
from registry.roles import HUB_ROLES, SECRETARIAT_ROLES, has_role

register = template.Library()

# Who may see the account name of whoever made a change; everyone else sees the role or the body.
ACCOUNT_NAME_VIEWERS = HUB_ROLES | SECRETARIAT_ROLES


@register.simple_tag(takes_context=True)
def history_actor(context, actor) -> str:
    """The actor of a history row: the account name for the hub and the secretariat, else 「事務局」 or the body."""
    if actor is None:
        return "（システム）"
    request = context.get("request")
    if request is not None and has_role(request.user, ACCOUNT_NAME_VIEWERS):
        return actor.get_username()
    person = getattr(actor, "person", None) if hasattr(actor, "person") else None
    if person is None:
        return "（システム管理）"
    if person.role == Person.Role.SECRETARIAT:
        return "ネットワーク事務局"
    if request is not None and actor.pk == request.user.pk:
        return "あなた"
    return person.body.name
