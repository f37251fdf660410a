"""Writes to the registry. Every function runs in one transaction and leaves history."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from registry.models import Body, BodyPledge, Person, PersonPledge, PledgeVersion
from registry.roles import ROLE_PERMISSIONS, group_name

BODY_EDITABLE_FIELDS = [
    "name",
    "name_kana",
    "division",
    "section",
    "postal_code",
    "address",
    "phone",
    "email",
    "website",
    "in_city",
    "joined_on",
]


@transaction.atomic
def body_update(*, body: Body, by, data: dict) -> Body:
    """Change a body's profile fields; unknown keys are refused, not ignored."""
    unknown = set(data) - set(BODY_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError("変更できない項目が含まれています。")
    body = Body.objects.select_for_update().get(pk=body.pk)
    changed = [field for field, value in data.items() if getattr(body, field) != value]
    if not changed:
        return body
    for field in changed:
        setattr(body, field, data[field])
    body._history_user = by
    body.full_clean()
    body.save(update_fields=changed)
    return body


@transaction.atomic
def person_create(*, user, body: Body, role: str, name: str, name_kana: str = "", by, **extra) -> Person:
    person = Person(user=user, body=body, role=role, name=name, name_kana=name_kana, **extra)
    person._history_user = by
    person.full_clean()
    person.save()
    user.groups.set([role_group(role)])
    return person


def role_group(role: str) -> Group:
    return Group.objects.get(name=group_name(role))


def sync_role_groups() -> None:
    """Create or update one group per role with exactly the permissions of ROLE_PERMISSIONS."""
    from django.contrib.auth.models import Permission

    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name(role))
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)


@transaction.atomic
def pledge_accept(*, person: Person, version: PledgeVersion, ip: str | None, by) -> PersonPledge:
    """Record that `person` accepted `version`; accepting twice keeps the first record."""
    existing = PersonPledge.objects.filter(person=person, version=version).first()
    if existing is not None:
        return existing
    pledge = PersonPledge(person=person, version=version, ip=ip)
    pledge._history_user = by
    pledge.full_clean()
    pledge.save()
    return pledge


@transaction.atomic
def body_pledge_record(
    *, body: Body, version: PledgeVersion, accepted_at, accepted_by_name: str, source: str, by
) -> BodyPledge:
    pledge = BodyPledge(
        body=body,
        version=version,
        accepted_at=accepted_at,
        accepted_by_name=accepted_by_name,
        source=source,
        recorded_by=by,
    )
    pledge._history_user = by
    pledge.full_clean()
    pledge.save()
    return pledge
