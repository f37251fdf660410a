"""make_<model>(**overrides) factories shared by every app's tests."""

import itertools

from django.contrib.auth import get_user_model

from registry import services
from registry.models import Body, Person

_seq = itertools.count(1)


def make_body(**overrides) -> Body:
    n = next(_seq)
    fields = {"kind": Body.Kind.BUSINESS, "name": f"テスト事業所{n}", "name_kana": "テストジギョウショ"}
    fields.update(overrides)
    body = Body(**fields)
    body.full_clean()
    body.save()
    return body


def make_user(username=None, password="correct-horse-battery", **extra):  # noqa: S107
    n = next(_seq)
    return get_user_model().objects.create_user(username=username or f"user{n}", password=password, **extra)


def make_person(*, role=Person.Role.BUSINESS_MEMBER, body=None, user=None, name=None, **extra) -> Person:
    n = next(_seq)
    if body is None:
        body = make_body()
    if user is None:
        user = make_user()
    return services.person_create(
        user=user, body=body, role=role, name=name or f"担当 太郎{n}", name_kana="タントウ タロウ", by=None, **extra
    )


def make_application(**overrides):
    """A pending application as the public form would store it (reference numbers from the real counter)."""
    from django.utils import timezone

    from registry.models import Application, PledgeVersion
    from registry.services import _next_reference, find_duplicates

    n = next(_seq)
    fields = {
        "name": f"申請事業所{n}",
        "name_kana": "シンセイジギョウショ",
        "business_kind": "pharmacy",
        "representative": "代表 一郎",
        "contact_name": "連絡 花子",
        "contact_kana": "レンラク ハナコ",
        "postal_code": "362-0001",
        "address": "埼玉県上尾市上1-1",
        "in_city": True,
        "phone": f"048-700-{n % 10000:04d}",
        "email": f"applicant{n}@example.jp",
        "activities": ["poster", "leaflet"],
        "rules_accepted": True,
    }
    fields.update(overrides)
    application = Application(
        reference=_next_reference(timezone.localdate()), pledge_version=PledgeVersion.current(), **fields
    )
    application.duplicate_hints = find_duplicates(application)
    application.full_clean()
    application.save()
    return application
