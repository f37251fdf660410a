"""The case panel of the home page: counts of the person's own waiting work, nothing for other roles,
no case content and no access-log row."""

import pytest

from audit.models import AccessLog
from cases import services
from cases.models import PacketField
from registry.models import Body, Person
from tests.factories.cases import make_case, make_consent, make_hub_worker, make_plan_item

Role = Person.Role


def _send(case, body, worker):
    item = make_plan_item(case, body=body, by=worker.user)
    make_consent(case, body=body, by=worker.user)
    return services.referral_send(
        plan_item=item,
        to_body=body,
        fields=[PacketField.NAME],
        request="生活保護の申請手続きをお願いします。",
        legal_basis="consent",
        by=worker.user,
        access_basis="assignment",
    )


@pytest.mark.django_db
def test_counts_per_role_without_content(client, login_as, bodies):
    seikatsu = Body.objects.get(code="dept-seikatsu-shien")
    other_worker = make_hub_worker()
    theirs = make_case(lead=other_worker, name="他者 花子")
    _send(theirs, seikatsu, other_worker)
    _send(theirs, Body.objects.get(code="dept-shimin"), other_worker)

    hub = login_as(Role.HUB_WORKER, body=Body.objects.get(code="hub"))
    make_case(by=hub.user, name="担当 花子")
    make_case(by=hub.user, name="担当 良子")
    page = client.get("/").content.decode()
    assert "担当中のケース</a>" in page and ">2件<" in page
    assert "花子" not in page.replace(hub.name, "")
    assert not AccessLog.objects.filter(user=hub.user).exists()

    client.logout()
    login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
    page = client.get("/").content.decode()
    assert "結果を返していない拠点からの依頼</a>" in page and ">1件<" in page  # its own body's only

    client.logout()
    login_as(Role.BUSINESS_MEMBER)
    page = client.get("/").content.decode()
    assert "担当中のケース" not in page and "拠点からの依頼</a>" not in page
