import pytest

from registry.models import Body


@pytest.fixture
def hub(bodies):
    return Body.objects.get(code="hub")


@pytest.fixture
def seikatsu(bodies):
    """健康福祉部生活支援課, the department most referrals go to."""
    return Body.objects.get(code="dept-seikatsu-shien")


@pytest.fixture
def police(bodies):
    return Body.objects.get(code="agency-ageo-police")
