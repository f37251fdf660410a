import pytest

from ageo_network.tests.smtp import SMTPServer


@pytest.fixture
def smtp_server():
    """A running SMTP server on localhost; `smtp_server.stop()` / `.start()` take it down and up."""
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def task_queue(settings):
    """The production queue: tasks are rows in the test database, run only by a worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}}
