"""Who may see which registry objects. Views fetch bodies only through here."""

from django.shortcuts import get_object_or_404

from registry.models import Body


def visible_bodies(user):
    """Staff of the city and agencies see every body; a business member only their own."""
    if user.has_perm("registry.view_body"):
        return Body.objects.all()
    person = getattr(user, "person", None)
    if person is None:
        return Body.objects.none()
    return Body.objects.filter(pk=person.body_id)


def get_body_for_user(user, pk) -> Body:
    """The body, or 404 when it is outside the user's scope."""
    return get_object_or_404(visible_bodies(user), pk=pk)


def can_edit_body(user) -> bool:
    return user.has_perm("registry.change_body")
