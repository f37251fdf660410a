"""Races on PostgreSQL with real threads and connections: shipments on the last units, and a full event."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from outreach import services
from outreach.models import Material, Registration, StockMovement
from registry.models import Body
from registry.system import system_user
from tests.factories.outreach import make_event, make_material
from tests.factories.registry import make_body


def _run_together(count, work):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(n):
        try:
            barrier.wait(timeout=30)
            results.append(work(n))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


# No serialized_rollback (see registry/tests/test_concurrency.py): post_migrate re-seeds after the flush.
@pytest.mark.django_db(transaction=True)
def test_two_shipments_racing_on_the_last_units_one_is_refused_and_stock_never_goes_negative():
    assert connection.vendor == "postgresql"
    material = make_material(stock=60, low_stock_threshold=0)
    pharmacies = [make_body(name="あげお薬局A"), make_body(name="あげお薬局B")]
    by = system_user()

    def ship(n):
        return services.stock_ship(material=material, body=pharmacies[n], quantity=50, spot="reception", by=by)

    results, errors = _run_together(2, ship)

    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert "在庫が足りません" in errors[0].messages[0]
    material.refresh_from_db()
    assert material.stock == 10
    shipped = StockMovement.objects.filter(material=material, kind=StockMovement.Kind.SHIPPED)
    assert [m.balance_after for m in shipped] == [10]
    # The ledger adds up to the balance.
    assert sum(m.signed_quantity for m in material.movements.all()) == material.stock


@pytest.mark.django_db(transaction=True)
def test_thirty_parallel_public_registrations_for_twenty_places(settings):
    settings.SIGNUP_MIN_FILL_SECONDS = 0
    from django.core import mail
    from django.core.management import call_command

    from registry.forms import signup_started_token

    call_command("loaddata", "bodies", verbosity=0)
    event = make_event(audience="public", capacity=20, organiser=Body.objects.get(code="dept-jinken-danjo"))
    url = f"/outreach/public/events/{event.uuid}/"

    def register(n):
        client = Client(REMOTE_ADDR=f"192.0.2.{n + 1}")
        data = {
            "name": f"申込 太郎{n}",
            "name_kana": "モウシコミ タロウ",
            "email": f"person{n}@example.jp",
            "privacy_accepted": "on",
            "started": signup_started_token(0),
        }
        return client.post(url, data).status_code

    statuses, errors = _run_together(30, register)

    assert errors == []
    assert statuses == [302] * 30
    registrations = Registration.objects.filter(event=event)
    assert registrations.count() == 30
    assert registrations.filter(status=Registration.Status.REGISTERED).count() == 20
    assert registrations.filter(status=Registration.Status.WAITING).count() == 10
    assert sorted(registrations.values_list("email", flat=True)) == sorted(f"person{n}@example.jp" for n in range(30))
    # Everyone got one confirmation, the waiting ones told so.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"person{n}@example.jp" for n in range(30))
    assert sum("キャンセル待ち" in m.subject for m in mail.outbox) == 10
    assert Material.objects.count() == 0
