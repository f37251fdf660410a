"""Lowering an event's capacity below the number registered moves the most recently registered back to the
waiting list (under the event's row lock) and mails the public ones; raising it again moves them up first."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from outreach import services
from outreach.models import Event, Registration
from outreach.tests.test_concurrency import _run_together
from registry.models import Body, Person
from registry.system import system_user
from tests.factories.outreach import make_event, make_registration
from tests.factories.registry import make_body

Role = Person.Role


@pytest.fixture
def secretariat_body(bodies):
    return Body.objects.get(code="dept-jinken-danjo")


def _edit_data(event, **overrides):
    start = timezone.localtime(event.starts_at)
    data = {
        "kind": event.kind,
        "title": event.title,
        "day": start.date().isoformat(),
        "start_time": "14:00",
        "end_time": "16:00",
        "place": event.place,
        "capacity": event.capacity,
        "audience": event.audience,
        "organiser": event.organiser_id,
        "description": "",
    }
    data.update(overrides)
    return data


def _five_registered(event):
    """Three members, then two of the public, one minute apart (the last two registered most recently)."""
    pharmacy = make_body(name="あげお中央薬局")
    base = timezone.now() - datetime.timedelta(days=1)
    people = []
    for n in range(5):
        body = pharmacy if n < 3 else None
        people.append(
            make_registration(
                event=event, body=body, name=f"申込 {n}", registered_at=base + datetime.timedelta(minutes=n)
            )
        )
    return people


def test_lowering_the_capacity_moves_the_most_recent_back_to_waiting_and_mails_the_public(
    client, login_as, secretariat_body, django_capture_on_commit_callbacks
):
    event = make_event(capacity=5, audience=Event.Audience.PUBLIC)
    people = _five_registered(event)
    login_as(Role.SECRETARIAT, body=secretariat_body)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("outreach:event_update", args=[event.uuid]), _edit_data(event, capacity=2), follow=True
        )
    html = response.content.decode()
    assert "最後に申し込んだ3人をキャンセル待ちに戻しました" in html
    statuses = [Registration.objects.get(pk=r.pk).status for r in people]
    assert statuses == ["registered", "registered", "waiting", "waiting", "waiting"]
    # The two public registrants (the most recent) are told; the subject names the event, never the person.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people[3].email, people[4].email])
    assert all(m.subject == f"【キャンセル待ちに変更】{event.title}" for m in mail.outbox)
    assert "申込 3 様" in mail.outbox[0].body or "申込 4 様" in mail.outbox[0].body
    history = Registration.history.filter(id=people[4].pk).order_by("-history_id").first()
    assert history.history_change_reason == "定員の変更でキャンセル待ちへ"

    # Raising the capacity again moves them up in the order they registered.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("outreach:event_update", args=[event.uuid]), _edit_data(event, capacity=4))
    statuses = [Registration.objects.get(pk=r.pk).status for r in people]
    assert statuses == ["registered", "registered", "registered", "registered", "waiting"]
    assert [m.to[0] for m in mail.outbox] == [people[3].email]


def test_a_capacity_of_zero_is_refused_in_japanese_and_nothing_changes(client, login_as, secretariat_body):
    event = make_event(capacity=5)
    people = _five_registered(event)
    login_as(Role.SECRETARIAT, body=secretariat_body)
    response = client.post(reverse("outreach:event_update", args=[event.uuid]), _edit_data(event, capacity=0))
    assert response.status_code == 200 and "定員は1人以上にしてください。" in response.content.decode()
    event.refresh_from_db()
    assert event.capacity == 5
    assert {Registration.objects.get(pk=r.pk).status for r in people} == {"registered"}


def test_lowering_to_exactly_the_number_registered_moves_nobody(secretariat_body):
    event = make_event(capacity=8)
    _five_registered(event)
    updated = services.event_update(event=event, data={"capacity": 5}, by=system_user())
    assert updated.moved_to_waiting == []
    assert event.registrations.filter(status="registered").count() == 5


# No serialized_rollback (see registry/tests/test_concurrency.py): post_migrate re-seeds after the flush.
@pytest.mark.django_db(transaction=True)
def test_lowering_the_capacity_while_people_register_never_leaves_more_registered_than_places():
    assert connection.vendor == "postgresql"
    from django.core.management import call_command

    call_command("loaddata", "bodies", verbosity=0)
    event = make_event(capacity=10, audience=Event.Audience.PUBLIC)
    for n in range(6):
        make_registration(event=event, name=f"先着 {n}")
    by = system_user()

    def work(n):
        if n == 0:
            return services.event_update(event=event, data={"capacity": 4}, by=by).capacity
        return services.registration_create_public(
            event=event, name=f"同時 {n}", name_kana="ドウジ", email=f"same{n}@example.jp"
        ).status

    results, errors = _run_together(7, work)
    assert errors == [] and len(results) == 7
    registrations = Registration.objects.filter(event=event)
    assert registrations.count() == 12
    assert registrations.filter(status="registered").count() == 4
    assert registrations.filter(status="waiting").count() == 8
    # The four who keep their place are the first four who registered.
    first = registrations.order_by("registered_at", "id")[:4]
    assert all(r.status == "registered" for r in first)
