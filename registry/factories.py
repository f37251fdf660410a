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
