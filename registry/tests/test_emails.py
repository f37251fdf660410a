"""The registry's messages: the secretariat's notices go to each of its staff as a message of their own."""

import datetime

import pytest
from django.core import mail

from registry import emails, services
from registry.models import Body, Person
from registry.tests.conftest import valid_signup_data
from tests.factories.registry import make_body, make_person, make_user

OFFICE = ["jimukyoku1@city.example.jp", "jimukyoku2@city.example.jp", "jimukyoku3@city.example.jp"]


@pytest.fixture
def secretariat(bodies):
    office = Body.objects.get(code="dept-jinken-danjo")
    staff = [make_person(role=Person.Role.SECRETARIAT, body=office, user=make_user(email=a)) for a in OFFICE]
    # Not told: a secretariat member who has left, and one whose account is off.
    make_person(
        role=Person.Role.SECRETARIAT,
        body=office,
        user=make_user(email="left@city.example.jp"),
        started_on="2024-04-01",
        left_on="2024-06-30",
    )
    make_person(role=Person.Role.SECRETARIAT, body=office, user=make_user(email="off@city.example.jp", is_active=False))
    return staff


@pytest.mark.django_db
def test_the_secretariat_addresses_are_the_staff_in_office(secretariat):
    assert emails.secretariat_addresses() == OFFICE


@pytest.mark.django_db
def test_a_signup_tells_each_secretariat_member_in_a_message_of_their_own(client, secretariat, on_commit):
    with on_commit():
        assert client.post("/registry/signup/", valid_signup_data()).status_code == 302
    notices = [m for m in mail.outbox if m.to != ["hanako@example.jp"]]
    assert sorted(m.to for m in notices) == [[address] for address in OFFICE]
    for message in notices:
        assert message.cc == [] and message.bcc == [] and message.reply_to == []
        assert not any(other in message.message().as_string() for other in OFFICE if other != message.to[0])


@pytest.mark.django_db
def test_a_withdrawal_request_is_one_message_per_secretariat_member(secretariat, django_capture_on_commit_callbacks):
    shop = make_body(kind=Body.Kind.BUSINESS, name="あげお薬局")
    member = make_person(role=Person.Role.BUSINESS_MEMBER, body=shop)
    with django_capture_on_commit_callbacks(execute=True):
        services.withdrawal_request_create(
            body=shop, wished_on=datetime.date(2025, 5, 31), reason="閉店のため", by=member.user
        )
    assert sorted(m.to for m in mail.outbox) == [[address] for address in OFFICE]
