"""Information from partners: write-only for the sender, a receipt and a coarse status; the hub's intake."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import AccessLog
from cases.models import Case, Information
from registry.models import Body, Person
from tests.factories.cases import make_case
from tests.factories.registry import make_body, make_person

Role = Person.Role

FORM = {
    "urgency": "soon",
    "observation": "来店時、腕にあざがあり、夫が怖いと話していた。",
    "situation": "小さな子どもと二人で来店することが多い。",
    "woman_name": "情報 提子",
    "awareness": "agrees",
    "safe_contact": "平日午前に店頭で。",
}


def _receipt_page(client, item):
    return client.get(reverse("cases:info_receipt", args=[item.uuid])).content.decode()


@pytest.mark.django_db
class TestSubmit:
    def test_a_business_member_sends_and_gets_only_a_receipt(
        self, client, login_as, hub, django_capture_on_commit_callbacks
    ):
        worker = make_person(role=Role.HUB_WORKER, body=hub)  # to be notified
        worker.user.email = "hub@example.org"
        worker.user.save()
        sender = login_as(Role.BUSINESS_MEMBER)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("cases:info_create"), FORM)
        item = Information.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("cases:info_receipt", args=[item.uuid])
        assert re.fullmatch(r"R\d+-J0001", item.receipt_number)
        assert (item.body, item.submitted_by, item.channel) == (sender.body, sender.user, "online")
        page = _receipt_page(client, item)
        assert item.receipt_number in page and "受け付けました" in page
        for value in [FORM["observation"], FORM["woman_name"], FORM["situation"]]:
            assert value not in page
        # The hub is told that something arrived: a link and the receipt number, nothing else.
        [message] = mail.outbox
        assert message.to == ["hub@example.org"]
        assert item.receipt_number in message.subject
        for value in FORM.values():
            if len(value) > 3:
                assert value not in message.body and value not in message.subject

    @pytest.mark.parametrize(
        "role,code",
        [
            (Role.DEPARTMENT_STAFF, "dept-kodomo-shien"),
            (Role.AGENCY_STAFF, "agency-ishikai"),
            (Role.SECRETARIAT, "dept-jinken-danjo"),
        ],
    )
    def test_every_member_can_send(self, client, login_as, bodies, role, code):
        login_as(role, body=Body.objects.get(code=code))
        assert client.post(reverse("cases:info_create"), FORM).status_code == 302
        assert Information.objects.get().body.code == code

    def test_the_hub_enters_a_phone_call_naming_the_body(self, client, login_as, hub):
        login_as(Role.HUB_WORKER, body=hub)
        pharmacy = make_body(name="上尾中央薬局")
        response = client.post(reverse("cases:info_create"), {**FORM, "source_body": pharmacy.pk, "caller": "薬剤師 A"})
        assert response.status_code == 302
        item = Information.objects.get()
        assert (item.body, item.channel, item.caller) == (pharmacy, "phone", "薬剤師 A")

    def test_required_fields(self, client, login_as):
        login_as(Role.BUSINESS_MEMBER)
        response = client.post(reverse("cases:info_create"), {**FORM, "observation": ""})
        assert response.status_code == 200
        assert not Information.objects.exists()

    def test_anonymous_is_sent_to_login(self, client):
        assert client.get(reverse("cases:info_create")).status_code == 302


@pytest.mark.django_db
class TestWriteOnly:
    def _send(self, client, login_as):
        sender = login_as(Role.BUSINESS_MEMBER)
        client.post(reverse("cases:info_create"), FORM)
        return sender, Information.objects.get()

    def test_sender_sees_a_coarse_status_only(self, client, login_as, hub):
        sender, item = self._send(client, login_as)
        assert "受け付けました" in _receipt_page(client, item)
        case = make_case()
        from cases import services

        services.information_link(item=item, case=case, by=case.opened_by)
        page = _receipt_page(client, item)
        assert "対応中です" in page
        assert case.number not in page and str(case.uuid) not in page
        listing = client.get(reverse("cases:info_sent_list")).content.decode()
        assert "対応中です" in listing and case.number not in listing

    def test_linking_to_an_existing_case_looks_exactly_like_opening_one(self, client, login_as, hub):
        """The sender cannot learn whether a case already existed."""
        from cases import services

        sender = login_as(Role.BUSINESS_MEMBER)
        client.post(reverse("cases:info_create"), FORM)
        client.post(reverse("cases:info_create"), FORM)
        first, second = Information.objects.order_by("pk")
        existing = make_case(name=FORM["woman_name"])
        services.information_link(item=first, case=existing, by=existing.opened_by)
        opened = services.information_open_case(item=second, by=existing.opened_by)
        client.get(reverse("cases:info_sent_list"))  # shows (and so clears) the pending success messages
        pages = [
            _receipt_page(client, item).replace(item.receipt_number, "N").replace(str(item.uuid), "U")
            for item in (first, second)
        ]
        strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
        assert strip.sub("", pages[0]) == strip.sub("", pages[1])
        assert sender.user == first.submitted_by
        assert opened.number not in pages[1] and existing.number not in pages[0]

    def test_no_case_and_closed_case_read_as_closed(self, client, login_as, hub):
        from cases import services

        sender, item = self._send(client, login_as)
        worker = make_person(role=Role.HUB_WORKER, body=hub)
        services.information_no_case(item=item, reason="既に警察が対応済み", by=worker.user)
        assert "対応を終えました" in _receipt_page(client, item)

    def test_sender_cannot_reach_anything_of_the_hub(self, client, login_as, hub):
        sender, item = self._send(client, login_as)
        case = make_case()
        for url in [
            reverse("cases:intake_detail", args=[item.uuid]),
            reverse("cases:case_detail", args=[case.uuid]),
        ]:
            assert client.get(url).status_code == 404
        assert client.get(reverse("cases:intake_queue")).status_code == 403
        assert client.get(reverse("cases:case_search")).status_code == 403

    def test_another_member_cannot_see_the_receipt(self, client, login_as, hub):
        sender, item = self._send(client, login_as)
        login_as(Role.BUSINESS_MEMBER, body=sender.body)  # a colleague of the same body
        assert client.get(reverse("cases:info_receipt", args=[item.uuid])).status_code == 404
        assert AccessLog.objects.filter(object_id=str(item.uuid), outcome="denied").exists()
        assert item.receipt_number not in client.get(reverse("cases:info_sent_list")).content.decode()

    def test_receipt_is_get_only(self, client, login_as, hub):
        sender, item = self._send(client, login_as)
        assert client.post(reverse("cases:info_receipt", args=[item.uuid])).status_code == 405


@pytest.mark.django_db
class TestIntake:
    def _item(self, client, login_as):
        login_as(Role.BUSINESS_MEMBER)
        client.post(reverse("cases:info_create"), FORM)
        return Information.objects.get()

    def test_queue_lists_pending_information_and_detail_is_logged(self, client, login_as, hub):
        item = self._item(client, login_as)
        login_as(Role.HUB_WORKER, body=hub)
        queue = client.get(reverse("cases:intake_queue")).content.decode()
        assert item.receipt_number in queue
        detail = client.get(reverse("cases:intake_detail", args=[item.uuid]))
        assert FORM["observation"] in detail.content.decode()
        log = AccessLog.objects.get(object_id=str(item.uuid), outcome="allowed")
        assert (log.basis, log.object_label) == ("role", item.receipt_number)

    def test_open_a_new_case_from_information(self, client, login_as, hub):
        item = self._item(client, login_as)
        worker = login_as(Role.HUB_WORKER, body=hub)
        response = client.post(reverse("cases:intake_open_case", args=[item.uuid]))
        case = Case.objects.get()
        assert response["Location"] == case.get_absolute_url()
        assert case.name == FORM["woman_name"]
        assert case.stage == Case.Stage.DISCOVERY
        assert case.assignments.get().person == worker
        item.refresh_from_db()
        assert (item.triage, item.case) == ("opened", case)
        assert FORM["observation"] in client.get(case.get_absolute_url()).content.decode()  # on the timeline
        # Triage happens once.
        assert client.post(reverse("cases:intake_open_case", args=[item.uuid])).status_code == 302
        assert Case.objects.count() == 1

    def test_link_to_an_existing_visible_case(self, client, login_as, hub):
        item = self._item(client, login_as)
        worker = login_as(Role.HUB_WORKER, body=hub)
        case = make_case(lead=worker)
        response = client.post(reverse("cases:intake_link", args=[item.uuid]), {"number": case.number.lower()})
        assert response["Location"] == case.get_absolute_url()
        item.refresh_from_db()
        assert (item.triage, item.case) == ("linked", case)

    def test_cannot_link_to_a_case_outside_scope(self, client, login_as, hub):
        item = self._item(client, login_as)
        login_as(Role.HUB_WORKER, body=hub)
        other = make_case()
        client.post(reverse("cases:intake_link", args=[item.uuid]), {"number": other.number})
        item.refresh_from_db()
        assert item.triage == "pending"

    def test_record_why_no_case(self, client, login_as, hub):
        item = self._item(client, login_as)
        login_as(Role.HUB_WORKER, body=hub)
        client.post(reverse("cases:intake_no_case", args=[item.uuid]), {"reason": "市外在住のため管轄の窓口へ案内済み"})
        item.refresh_from_db()
        assert (item.triage, item.no_case_reason) == ("no_case", "市外在住のため管轄の窓口へ案内済み")
        assert item not in client.get(reverse("cases:intake_queue")).context["pending"]

    def test_triage_is_hub_only_and_post_only(self, client, login_as, hub, bodies):
        item = self._item(client, login_as)
        login_as(Role.DEPARTMENT_STAFF, body=Body.objects.get(code="dept-seikatsu-shien"))
        assert client.post(reverse("cases:intake_open_case", args=[item.uuid])).status_code == 404
        login_as(Role.HUB_WORKER, body=hub)
        assert client.get(reverse("cases:intake_open_case", args=[item.uuid])).status_code == 405
        assert not Case.objects.exists()

    def test_queue_query_budget(self, client, login_as, hub, django_assert_max_num_queries):
        login_as(Role.BUSINESS_MEMBER)
        for _ in range(30):
            client.post(reverse("cases:info_create"), FORM)
        login_as(Role.HUB_WORKER, body=hub)
        with django_assert_max_num_queries(12):
            response = client.get(reverse("cases:intake_queue"))
        assert len(response.context["pending"]) == 30

    def test_sent_list_query_budget(self, client, login_as, django_assert_max_num_queries):
        login_as(Role.BUSINESS_MEMBER)
        for _ in range(30):
            client.post(reverse("cases:info_create"), FORM)
        with django_assert_max_num_queries(10):
            response = client.get(reverse("cases:info_sent_list"))
        assert response.content.decode().count("<td>受け付けました</td>") == 30
