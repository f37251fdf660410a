"""Case numbers: R6-0001 per fiscal year, never reused, unique under concurrency."""

import datetime
import threading
import zoneinfo

import pytest
import time_machine
from django.db import connection

from cases import services
from cases.models import Case, NumberCounter
from tests.factories.registry import make_user

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


@pytest.mark.django_db
def test_numbers_follow_the_fiscal_year():
    user = make_user()
    with time_machine.travel(datetime.datetime(2025, 3, 31, 23, 59, tzinfo=TOKYO), tick=False):
        first = services.case_open(by=user)
        second = services.case_open(by=user)
    with time_machine.travel(datetime.datetime(2025, 4, 1, 0, 1, tzinfo=TOKYO), tick=False):
        third = services.case_open(by=user)
    assert [first.number, second.number, third.number] == ["R6-0001", "R6-0002", "R7-0001"]
    assert (third.fiscal_year, third.sequence) == (2025, 1)
    assert str(third) == "R7-0001"


@pytest.mark.django_db
def test_first_fiscal_year_of_reiwa_and_heisei():
    assert services.era_prefix(2019) == "R1"
    assert services.era_prefix(2018) == "H30"


@pytest.mark.django_db
def test_closed_cases_keep_their_numbers_and_counting_goes_on():
    user = make_user()
    with time_machine.travel(datetime.datetime(2024, 6, 1, 10, 0, tzinfo=TOKYO), tick=False):
        first = services.case_open(by=user)
        assert services.case_open(by=user).number == "R6-0002"
    counter = NumberCounter.objects.get(kind="case", fiscal_year=2024)
    assert counter.last_value == 2
    assert counter.history.count() >= 3  # every issued number is on record
    assert Case.objects.get(pk=first.pk).number == "R6-0001"


@pytest.mark.django_db(transaction=True)
def test_parallel_case_creation_gives_distinct_numbers():
    user = make_user()
    threads, per_thread = 8, 4
    barrier = threading.Barrier(threads)
    numbers, errors = [], []
    lock = threading.Lock()

    def open_cases():
        try:
            barrier.wait()
            for _ in range(per_thread):
                case = services.case_open(by=user)
                with lock:
                    numbers.append(case.number)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=open_cases) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors
    assert len(numbers) == threads * per_thread
    assert len(set(numbers)) == threads * per_thread
    sequences = sorted(Case.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, threads * per_thread + 1))
    assert NumberCounter.objects.get(kind="case").last_value == threads * per_thread
