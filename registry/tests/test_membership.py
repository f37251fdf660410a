"""Leaving the network ends access at once; the Art. 10 pledge gates every member page."""

import datetime

import pytest
from django.urls import reverse

from audit.models import SignInEvent
from registry.models import Body, Person, PersonPledge, PledgeVersion

Role = Person.Role


@pytest.mark.django_db
class TestLeaving:
    def test_deactivated_person_is_refused_on_the_next_request(self, client, login_as, bodies):
        person = login_as(Role.DEPARTMENT_STAFF, body=Body.objects.get(code="dept-seikatsu-shien"))
        assert client.get(reverse("home")).status_code == 200
        user = person.user
        user.is_active = False
        user.save(update_fields=["is_active"])
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_person_who_left_is_signed_out_and_the_event_logged(self, client, login_as, bodies):
        person = login_as(Role.AGENCY_STAFF, body=Body.objects.get(code="agency-ageo-police"))
        person.left_on = datetime.date.today()
        person.save(update_fields=["left_on"])
        response = client.get(reverse("registry:body_list"))
        assert response.status_code == 302
        assert SignInEvent.objects.filter(user=person.user, kind=SignInEvent.Kind.ACCESS_ENDED).exists()
        # The session is gone, not just refused once.
        assert "_auth_user_id" not in client.session
        assert client.get(reverse("home")).status_code == 302

    def test_body_leaving_ends_its_peoples_sessions(self, client, login_as, bodies):
        from tests.factories.registry import make_body

        business = make_body(name="退会する薬局")
        person = login_as(Role.BUSINESS_MEMBER, body=business)
        assert client.get(reverse("home")).status_code == 200
        business.status = Body.Status.FORMER
        business.left_on = datetime.date.today()
        business.save(update_fields=["status", "left_on"])
        assert client.get(reverse("home")).status_code == 302
        # Records stay: the person, their pledge and the history are still there.
        assert Person.objects.filter(pk=person.pk).exists()
        assert PersonPledge.objects.filter(person=person).exists()

    def test_a_leaving_date_in_the_future_does_not_end_access_yet(self, client, login_as, bodies):
        person = login_as(Role.DEPARTMENT_STAFF, body=Body.objects.get(code="dept-hoiku"))
        person.left_on = datetime.date.today() + datetime.timedelta(days=3)
        person.save(update_fields=["left_on"])
        assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
class TestPledgeGate:
    def test_member_pages_redirect_to_the_pledge_until_accepted(self, client, login_as, bodies):
        login_as(Role.SECRETARIAT, body=Body.objects.get(code="dept-jinken-danjo"), pledged=False)
        for url in (reverse("home"), reverse("registry:body_list"), "/admin/"):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("registry:pledge"))

    def test_accepting_records_person_version_time_and_ip(self, client, login_as, bodies):
        person = login_as(Role.HUB_WORKER, body=Body.objects.get(code="hub"), pledged=False)
        page = client.get(reverse("registry:pledge"), {"next": "/registry/bodies/"})
        assert "第１０条" in page.content.decode()
        refused = client.post(reverse("registry:pledge"), {"next": "/registry/bodies/"})
        assert "チェックを入れてください" in refused.content.decode()
        assert not PersonPledge.objects.filter(person=person).exists()
        response = client.post(
            reverse("registry:pledge"), {"agree": "on", "next": "/registry/bodies/"}, REMOTE_ADDR="10.0.0.7"
        )
        assert response.status_code == 302 and response["Location"] == "/registry/bodies/"
        pledge = PersonPledge.objects.get(person=person)
        assert pledge.version == PledgeVersion.current()
        assert pledge.ip == "10.0.0.7"
        assert pledge.accepted_at is not None
        assert client.get(reverse("home")).status_code == 200

    def test_a_new_version_requires_acceptance_again(self, client, login_as, bodies):
        person = login_as(Role.HUB_WORKER, body=Body.objects.get(code="hub"))
        assert client.get(reverse("home")).status_code == 200
        PledgeVersion.objects.create(number=2, text="（守秘義務）改訂版の本文")
        response = client.get(reverse("home"))
        assert response["Location"].startswith(reverse("registry:pledge"))
        client.post(reverse("registry:pledge"), {"agree": "on"})
        assert client.get(reverse("home")).status_code == 200
        assert sorted(PersonPledge.objects.filter(person=person).values_list("version__number", flat=True)) == [1, 2]

    def test_external_next_is_ignored(self, client, login_as, bodies):
        login_as(Role.HUB_WORKER, body=Body.objects.get(code="hub"), pledged=False)
        response = client.post(reverse("registry:pledge"), {"agree": "on", "next": "https://evil.example/"})
        assert response["Location"] == reverse("home")
