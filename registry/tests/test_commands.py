import pytest
from django.core.management import call_command

from registry.models import Body
from registry.system import SYSTEM_USERNAME


@pytest.mark.django_db
def test_load_bodies_records_history_as_the_system_account_once():
    call_command("load_bodies", verbosity=0)
    call_command("load_bodies", verbosity=0)
    assert Body.objects.count() == 26
    hub = Body.objects.get(code="hub")
    records = list(hub.history.all())
    assert len(records) == 1
    assert records[0].history_type == "+"
    assert records[0].history_user.username == SYSTEM_USERNAME
    assert not records[0].history_user.is_active
    assert not records[0].history_user.has_usable_password()
