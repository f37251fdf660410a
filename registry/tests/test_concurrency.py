"""Twenty people submit the public form at the same moment: every application is stored, numbers never collide."""

import threading

import pytest
from django.db import connection
from django.test import Client

from registry.models import Application, PledgeVersion
from registry.tests.conftest import valid_signup_data

SUBMISSIONS = 20


# No serialized_rollback: its teardown flush skips post_migrate and would leave later transactional tests
# (the Playwright ones cannot restore it) an empty database; post_migrate re-seeds groups and the pledge.
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_submissions_are_all_stored_with_unique_reference_numbers():
    assert connection.vendor == "postgresql"
    assert PledgeVersion.current() is not None
    barrier = threading.Barrier(SUBMISSIONS)
    statuses, errors = [], []

    def submit(n):
        try:
            client = Client(REMOTE_ADDR=f"192.0.2.{n + 1}")
            data = valid_signup_data(name=f"同時申請{n}", email=f"concurrent{n}@example.jp")
            barrier.wait(timeout=30)
            statuses.append(client.post("/registry/signup/", data).status_code)
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(SUBMISSIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert statuses == [302] * SUBMISSIONS
    references = list(Application.objects.values_list("reference", flat=True))
    assert len(references) == SUBMISSIONS
    assert len(set(references)) == SUBMISSIONS
    numbers = sorted(int(ref.split("-S")[1]) for ref in references)
    assert numbers == list(range(1, SUBMISSIONS + 1))
    assert sorted(Application.objects.values_list("name", flat=True)) == sorted(
        f"同時申請{n}" for n in range(SUBMISSIONS)
    )
