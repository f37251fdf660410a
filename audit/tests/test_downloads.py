"""The one download helper: safe file names, no-store, the access-log row; and every download uses it."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from ageo_network.documents import CSV, PDF, Document
from audit.downloads import content_disposition, download_response, safe_filename
from audit.models import AccessLog
from registry.models import Body, Person
from tests.factories.cases import make_case
from tests.factories.registry import make_person

Role = Person.Role


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("R6-0001.pdf", 'attachment; filename="R6-0001.pdf"'),
        ('a"b.csv', 'attachment; filename="a_b.csv"'),
        ("x\r\nSet-Cookie: y.pdf", 'attachment; filename="xSet-Cookie_ y.pdf"'),
        ("../../etc/passwd", 'attachment; filename="_.._etc_passwd"'),
        ("..\\secret.pdf", 'attachment; filename="_secret.pdf"'),
        ("", 'attachment; filename="download"'),
        (
            "構成機関名簿 令和7年.pdf",
            "attachment; filename=\"_ _7_.pdf\"; filename*=UTF-8''"
            "%E6%A7%8B%E6%88%90%E6%A9%9F%E9%96%A2%E5%90%8D%E7%B0%BF%20%E4%BB%A4%E5%92%8C7%E5%B9%B4.pdf",
        ),
    ],
)
def test_content_disposition_is_a_safe_attachment(name, expected):
    assert content_disposition(name) == expected


def test_safe_filename_drops_invisible_and_direction_characters():
    assert safe_filename("R6\u202e-0001\x00.pdf") == "R6-0001.pdf"


@pytest.mark.django_db
def test_download_response_sets_the_headers_and_writes_the_row(bodies):
    person = make_person(role=Role.SECRETARIAT, body=Body.objects.get(code="dept-jinken-danjo"))
    request = RequestFactory().get("/")
    request.user = person.user
    document = Document("roster.csv", CSV, b"\xef\xbb\xbfa,b\r\n")
    response = download_response(
        request,
        document,
        action=AccessLog.Action.EXPORT,
        scope=AccessLog.Scope.NETWORK,
        object_type="registry.roster",
        reason="csv",
    )
    assert response.content == document.content
    assert response["Content-Type"] == CSV
    assert response["Content-Length"] == str(len(document.content))
    assert response["Content-Disposition"] == 'attachment; filename="roster.csv"'
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.object_type, log.reason) == (person.user, "export", "registry.roster", "csv")
    assert log.scope == AccessLog.Scope.NETWORK


@pytest.mark.django_db
def test_log_false_writes_no_row_and_takes_no_log_fields(bodies):
    request = RequestFactory().get("/")
    request.user = make_person(role=Role.SECRETARIAT).user
    document = Document("x.pdf", PDF, b"%PDF-")
    assert download_response(request, document, log=False)["Cache-Control"] == "no-store"
    assert not AccessLog.objects.exists()
    with pytest.raises(TypeError):
        download_response(request, document, log=False, action=AccessLog.Action.PDF)


def test_a_document_never_shows_its_content_in_a_repr():
    assert "secret" not in repr(Document("a.pdf", PDF, b"secret"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "code", "url"),
    [
        (Role.SECRETARIAT, "dept-jinken-danjo", lambda: reverse("registry:roster_csv")),
        (Role.SECRETARIAT, "dept-jinken-danjo", lambda: reverse("registry:roster_xlsx")),
        (Role.HUB_SUPERVISOR, "hub", lambda: reverse("cases:case_pdf", args=[make_case().uuid])),
    ],
)
def test_every_download_is_no_store_and_logged(client, login_as, bodies, role, code, url):
    login_as(role, body=Body.objects.get(code=code))
    target = url()
    before = AccessLog.objects.count()
    response = client.get(target)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert AccessLog.objects.count() == before + 1
