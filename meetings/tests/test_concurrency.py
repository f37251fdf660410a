"""Eight organisers create meetings of one type at the same moment: 第1回 to 第8回, no number twice."""

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from meetings import services
from meetings.models import Meeting
from tests.factories.meetings import WEDNESDAY, make_secretariat

CREATORS = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_creation_numbers_every_meeting_once():
    assert connection.vendor == "postgresql"
    call_command("loaddata", "bodies", verbosity=0)
    organisers = [make_secretariat() for _ in range(CREATORS)]
    barrier = threading.Barrier(CREATORS)
    errors = []

    def create(person):
        try:
            data = {
                "date": WEDNESDAY,
                "start_time": datetime.time(10),
                "end_time": datetime.time(11),
                "place": "会議室",
            }
            barrier.wait(timeout=30)
            services.meeting_create(kind=Meeting.Kind.PRACTITIONERS, data=data, organiser=person, by=person.user)
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(person,)) for person in organisers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    numbers = sorted(Meeting.objects.values_list("number", flat=True))
    assert numbers == list(range(1, CREATORS + 1))
