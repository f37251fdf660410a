import pytest


@pytest.fixture
def secretariat_person(bodies):
    from tests.factories.meetings import make_secretariat

    return make_secretariat()


@pytest.fixture
def art7(bodies):
    """An Art. 7 meeting, nobody invited yet."""
    from tests.factories.meetings import make_meeting

    return make_meeting()
