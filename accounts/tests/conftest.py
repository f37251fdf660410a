"""Fixtures for the sign-in tests: a stopped clock and people with a known password."""

import pytest
import time_machine

from accounts.tests.helpers import START


@pytest.fixture
def clock():
    """A stopped clock at a fixed Tokyo morning; move it with clock.shift(timedelta)."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def member(db):
    """member(role) → a Person who accepted the current pledge, with password PASSWORD."""
    from registry import services
    from registry.models import PledgeVersion
    from tests.factories.registry import make_person

    def make(role, **extra):
        person = make_person(role=role, **extra)
        services.pledge_accept(person=person, version=PledgeVersion.current(), ip="127.0.0.1", by=person.user)
        return person

    return make
