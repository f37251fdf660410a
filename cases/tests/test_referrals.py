"""Referrals: packets of ticked fields only, the consent-or-legal-basis rule, address protection, the receiving body."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLog
from cases import services
from cases.models import Case, PacketField, PlanItem, Referral
from registry.models import Body, Person
from tests.factories.cases import make_case, make_consent, make_hub_worker, make_plan_item
from tests.factories.registry import make_person

Role = Person.Role
LIFE = "本人と子の生命に危険が迫っており、同意を得る時間がないため"


@pytest.fixture
def setting(bodies):
    worker = make_hub_worker()
    dept = Body.objects.get(code="dept-seikatsu-shien")
    case = make_case(
        lead=worker,
        name="依頼 花子",
        phone="090-5555-6666",
        address="上尾市緑丘三丁目",
        categories=["dv", "poverty"],
    )
    item = make_plan_item(case, body=dept, by=worker.user)
    return worker, dept, case, item


def send(item, dept, worker, fields, **kwargs):
    defaults = {"request": "生活保護の申請手続きをお願いします。", "legal_basis": "consent"}
    defaults.update(kwargs)
    return services.referral_send(
        plan_item=item, to_body=dept, fields=fields, by=worker.user, access_basis="assignment", **defaults
    )


@pytest.mark.django_db
class TestConsentRule:
    def test_refused_without_consent_or_legal_basis(self, setting):
        worker, dept, case, item = setting
        with pytest.raises(ValidationError, match="有効な同意がありません"):
            send(item, dept, worker, [PacketField.NAME])
        with pytest.raises(ValidationError, match="根拠の説明"):
            send(item, dept, worker, [PacketField.NAME], legal_basis="life_or_body", legal_basis_note="")
        assert not Referral.objects.exists()

    def test_consent_covering_body_and_fields_allows_it(self, setting):
        worker, dept, case, item = setting
        consent = make_consent(case, body=dept, by=worker.user, items=[PacketField.NAME, PacketField.PHONE])
        referral = send(item, dept, worker, [PacketField.NAME])
        assert referral.consent == consent
        assert PlanItem.objects.get(pk=item.pk).status == PlanItem.Status.REQUESTED

    def test_consent_for_another_body_or_fewer_fields_does_not_cover(self, setting, police):
        worker, dept, case, item = setting
        make_consent(case, body=police, by=worker.user, items=[PacketField.NAME, PacketField.PHONE])
        with pytest.raises(ValidationError):
            send(item, dept, worker, [PacketField.NAME])
        make_consent(case, body=dept, by=worker.user, items=[PacketField.NAME])
        with pytest.raises(ValidationError):
            send(item, dept, worker, [PacketField.NAME, PacketField.PHONE])

    def test_withdrawn_or_expired_consent_does_not_cover(self, setting):
        worker, dept, case, item = setting
        consent = make_consent(case, body=dept, by=worker.user, items=[PacketField.NAME])
        services.consent_withdraw(consent=consent, by=worker.user)
        with pytest.raises(ValidationError):
            send(item, dept, worker, [PacketField.NAME])
        old = make_consent(case, body=dept, by=worker.user, items=[PacketField.NAME], days=10)
        assert old.covers(dept.pk, [PacketField.NAME], today=timezone.localdate())
        assert not old.covers(dept.pk, [PacketField.NAME], today=timezone.localdate() + datetime.timedelta(days=11))

    def test_recorded_legal_basis_allows_it_without_consent(self, setting):
        worker, dept, case, item = setting
        referral = send(item, dept, worker, [PacketField.NAME], legal_basis="life_or_body", legal_basis_note=LIFE)
        assert (referral.legal_basis, referral.legal_basis_note, referral.consent) == ("life_or_body", LIFE, None)

    def test_only_departments_and_agencies_receive_referrals(self, setting):
        worker, dept, case, item = setting
        business = make_person(role=Role.BUSINESS_MEMBER).body
        with pytest.raises(ValidationError, match="依頼先"):
            send(item, business, worker, [], legal_basis="life_or_body", legal_basis_note=LIFE)


@pytest.mark.django_db
class TestPacket:
    def test_packet_holds_only_the_ticked_fields(self, setting):
        worker, dept, case, item = setting
        referral = send(item, dept, worker, [PacketField.CATEGORIES], legal_basis="statute", legal_basis_note=LIFE)
        assert set(referral.packet) == {"categories"}
        assert referral.packet["categories"] == "配偶者等からの暴力（DV）、生活困窮"

    def test_address_never_goes_out_under_address_protection(self, setting):
        worker, dept, case, item = setting
        services.case_update(
            case=case,
            data={
                "address_protection": True,
                "address_protection_until": timezone.localdate() + datetime.timedelta(days=300),
            },
            expected_version=case.version,
            by=worker.user,
        )
        with pytest.raises(ValidationError, match="住所は依頼先に送れません"):
            send(item, dept, worker, [PacketField.ADDRESS], legal_basis="life_or_body", legal_basis_note=LIFE)
        referral = send(item, dept, worker, [PacketField.NAME], legal_basis="life_or_body", legal_basis_note=LIFE)
        assert referral.address_protected

    def test_referral_form_hides_the_address_choice_under_protection(self, client, login_as, hub, seikatsu):
        worker = login_as(Role.HUB_WORKER, body=hub)
        case = make_case(lead=worker, address_protection=True, address_protection_until=timezone.localdate())
        item = make_plan_item(case, body=seikatsu, by=worker.user)
        page = client.get(reverse("cases:referral_create", args=[case.uuid, item.pk]))
        choices = [value for value, _ in page.context["form"].fields["fields"].choices]
        assert "address" not in choices
        assert "住所は依頼先に送れません" in page.content.decode()
        response = client.post(
            reverse("cases:referral_create", args=[case.uuid, item.pk]),
            {
                "to_body": seikatsu.pk,
                "fields": ["address"],
                "request": "至急の対応をお願いします",
                "legal_basis": "life_or_body",
                "legal_basis_note": LIFE,
            },
        )
        assert response.status_code == 200
        assert not Referral.objects.exists()


@pytest.mark.django_db
class TestSendingThroughTheView:
    def test_refused_without_consent_in_the_view_too(self, client, login_as, hub, seikatsu):
        worker = login_as(Role.HUB_WORKER, body=hub)
        case = make_case(lead=worker)
        item = make_plan_item(case, body=seikatsu, by=worker.user)
        url = reverse("cases:referral_create", args=[case.uuid, item.pk])
        response = client.post(
            url,
            {
                "to_body": seikatsu.pk,
                "fields": ["name"],
                "request": "申請の支援をお願いします",
                "legal_basis": "consent",
            },
        )
        assert response.status_code == 200
        assert "有効な同意がありません" in response.content.decode()
        assert not Referral.objects.exists()

    def test_sent_with_the_basis_in_the_access_log_and_an_email_without_content(
        self, client, login_as, hub, seikatsu, django_capture_on_commit_callbacks
    ):
        staff = make_person(role=Role.DEPARTMENT_STAFF, body=seikatsu)
        staff.user.email = "seikatsu@example.org"
        staff.user.save()
        worker = login_as(Role.HUB_WORKER, body=hub)
        case = make_case(lead=worker, name="送付 花子")
        item = make_plan_item(case, body=seikatsu, by=worker.user)
        make_consent(case, body=seikatsu, by=worker.user, items=["name"])
        url = reverse("cases:referral_create", args=[case.uuid, item.pk])
        assert client.get(url).context["form"].initial["to_body"] == seikatsu
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url,
                {
                    "to_body": seikatsu.pk,
                    "fields": ["name"],
                    "request": "申請の支援をお願いします",
                    "legal_basis": "consent",
                },
            )
        assert response.status_code == 302
        referral = Referral.objects.get()
        log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
        assert (log.object_label, log.case_ref, log.basis) == (case.number, str(case.uuid), "assignment")
        assert "本人の同意" in log.reason and "送付 花子" not in log.reason
        [message] = mail.outbox
        assert message.to == ["seikatsu@example.org"]
        assert case.number in message.subject and referral.get_absolute_url() in message.body
        assert "送付 花子" not in message.body and "申請の支援" not in message.body


@pytest.mark.django_db
class TestReceivingBody:
    def _referral(self, seikatsu, **case_data):
        worker = make_hub_worker()
        case = make_case(lead=worker, **case_data)
        item = make_plan_item(case, body=seikatsu, by=worker.user)
        return (
            worker,
            case,
            send(item, seikatsu, worker, [PacketField.NAME], legal_basis="life_or_body", legal_basis_note=LIFE),
        )

    def test_staff_see_the_packet_only_never_the_case(self, client, login_as, seikatsu):
        worker, case, referral = self._referral(
            seikatsu, name="受取 花子", address="上尾市宮本町", phone="048-000-1111"
        )
        staff = login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
        page = client.get(referral.get_absolute_url())
        body = page.content.decode()
        assert page.status_code == 200
        assert "受取 花子" in body and "上尾市宮本町" not in body and "048-000-1111" not in body
        assert client.get(case.get_absolute_url()).status_code == 404
        assert client.get(reverse("cases:case_pdf", args=[case.uuid])).status_code == 404
        log = AccessLog.objects.get(object_id=str(referral.uuid), outcome="allowed", action="view")
        assert (log.basis, log.person_id, log.case_ref) == ("referral", staff.pk, str(case.uuid))
        inbox = client.get(reverse("cases:referral_inbox")).context["open"]
        assert inbox == [referral]

    def test_other_bodies_get_404_and_a_denied_row(self, client, login_as, seikatsu, police):
        worker, case, referral = self._referral(seikatsu)
        login_as(Role.AGENCY_STAFF, body=police)
        assert client.get(referral.get_absolute_url()).status_code == 404
        assert AccessLog.objects.filter(
            object_id=str(referral.uuid), outcome="denied", case_ref=str(case.uuid)
        ).exists()
        assert client.get(reverse("cases:referral_inbox")).context["open"] == []
        login_as(Role.DEPARTMENT_STAFF, body=Body.objects.get(code="dept-hoiku"))
        assert client.post(reverse("cases:referral_acknowledge", args=[referral.uuid])).status_code == 404

    def test_acknowledge_and_return_the_outcome_seen_by_the_hub(
        self, client, login_as, seikatsu, hub, django_capture_on_commit_callbacks
    ):
        worker, case, referral = self._referral(seikatsu)
        worker.user.email = "lead@example.org"
        worker.user.save()
        login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
        client.post(reverse("cases:referral_acknowledge", args=[referral.uuid]))
        referral.refresh_from_db()
        assert referral.status == "acknowledged"
        assert referral.plan_item.status == PlanItem.Status.IN_PROGRESS
        url = reverse("cases:referral_return", args=[referral.uuid])
        assert client.post(url, {"action_taken": "窓口で面談", "outcome": ""}).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"action_taken": "窓口で面談した", "outcome": "生活保護を申請し受理された"})
        assert response.status_code == 302
        referral.refresh_from_db()
        assert (referral.status, referral.outcome) == ("returned", "生活保護を申請し受理された")
        assert mail.outbox[-1].to == ["lead@example.org"] and "受理" not in mail.outbox[-1].body
        login_as(Role.HUB_SUPERVISOR, body=hub)
        assert "生活保護を申請し受理された" in client.get(case.get_absolute_url()).content.decode()

    def test_hub_reads_the_packet_through_the_case_but_cannot_answer_it(self, client, login_as, seikatsu, hub):
        worker, case, referral = self._referral(seikatsu)
        login_as(Role.HUB_SUPERVISOR, body=hub)
        assert client.get(referral.get_absolute_url()).status_code == 200
        assert client.post(reverse("cases:referral_acknowledge", args=[referral.uuid])).status_code == 403
        assert client.get(reverse("cases:referral_return", args=[referral.uuid])).status_code == 403

    def test_address_protection_band_on_the_packet(self, client, login_as, seikatsu):
        worker, case, referral = self._referral(
            seikatsu,
            address_protection=True,
            address_protection_until=timezone.localdate() + datetime.timedelta(days=90),
        )
        login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
        assert 'id="address-protection-band"' in client.get(referral.get_absolute_url()).content.decode()

    def test_inbox_query_budget(self, client, login_as, seikatsu, django_assert_max_num_queries):
        for _ in range(15):
            self._referral(seikatsu)
        login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
        with django_assert_max_num_queries(12):
            response = client.get(reverse("cases:referral_inbox"))
        assert len(response.context["open"]) == 15

    def test_wrong_method(self, client, login_as, seikatsu):
        worker, case, referral = self._referral(seikatsu)
        login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
        assert client.get(reverse("cases:referral_acknowledge", args=[referral.uuid])).status_code == 405
        assert client.post(referral.get_absolute_url()).status_code == 405


@pytest.mark.django_db
class TestRecords:
    def test_consultation_assessment_plan_consent_accompaniment_protection_follow_up(
        self, client, login_as, hub, seikatsu
    ):
        worker = login_as(Role.HUB_WORKER, body=hub)
        case = make_case(lead=worker)
        now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        today = timezone.localdate().isoformat()
        posts = [
            (
                "cases:consultation_create",
                {"at": now, "method": "phone", "content": "電話で相談を受けた", "next_step": "来所を調整"},
            ),
            (
                "cases:assessment_create",
                {
                    "assessed_at": now,
                    "needs": ["safety", "housing"],
                    "wishes": "子どもと安全に暮らしたい",
                    "risk_level": "high",
                },
            ),
            (
                "cases:plan_item_create",
                {"service": "public_housing", "responsible_body": seikatsu.pk, "status": "to_request", "due_on": today},
            ),
            (
                "cases:consent_create",
                {
                    "body": seikatsu.pk,
                    "items": ["name"],
                    "purpose": "住宅の相談",
                    "given_on": today,
                    "valid_until": today,
                },
            ),
            ("cases:accompaniment_create", {"on": today, "destination": "市役所生活支援課", "outcome": "申請できた"}),
            ("cases:protection_create", {"kind": "temporary_protection", "started_on": today}),
            ("cases:follow_up_create", {"due_on": today, "purpose": "電話で様子を確認"}),
        ]
        for name, data in posts:
            response = client.post(reverse(name, args=[case.uuid]), data)
            assert response.status_code == 302, (name, response.context and response.context["form"].errors)
        case.refresh_from_db()
        assert case.risk_level == "high"  # taken from the newest assessment
        assert [a.needs for a in case.assessments.all()] == [["safety", "housing"]]
        assert case.consultations.get().worker == worker.user
        follow_up = case.follow_ups.get()
        client.post(reverse("cases:follow_up_done", args=[case.uuid, follow_up.pk]), {"result": "元気に過ごしている"})
        follow_up.refresh_from_db()
        assert follow_up.done_at and follow_up.result == "元気に過ごしている"
        item = case.plan_items.get()
        client.post(reverse("cases:plan_item_update", args=[case.uuid, item.pk]), {"status": "done", "due_on": today})
        assert PlanItem.objects.get(pk=item.pk).status == "done"
        consent = case.consents.get()
        client.post(reverse("cases:consent_withdraw", args=[case.uuid, consent.pk]))
        consent.refresh_from_db()
        assert consent.withdrawn_at is not None
        kinds = {entry.kind for entry in client.get(case.get_absolute_url()).context["timeline"]}
        assert {"consultation", "assessment", "plan", "accompaniment", "protection", "follow_up", "stage"} <= kinds

    def test_assessments_are_kept_as_a_series(self, bodies):
        case = make_case()
        for level in ["urgent", "medium"]:
            services.assessment_record(
                case=case, data={"needs": ["safety"], "wishes": "家を出たい", "risk_level": level}, by=case.opened_by
            )
        assert [a.risk_level for a in case.assessments.all()] == ["urgent", "medium"]
        assert case.history.first().risk_level == "medium"

    def test_protection_stay_has_no_location_field(self):
        from cases.models import ProtectionStay

        names = {f.name for f in ProtectionStay._meta.get_fields()}
        assert not names & {"address", "location", "facility_name", "place"}

    def test_sub_records_of_another_case_are_404(self, client, login_as, hub, seikatsu):
        worker = login_as(Role.HUB_WORKER, body=hub)
        mine = make_case(lead=worker)
        other = make_case()
        item = make_plan_item(other, body=seikatsu, by=other.opened_by)
        assert client.get(reverse("cases:plan_item_update", args=[mine.uuid, item.pk])).status_code == 404
        assert client.get(reverse("cases:referral_create", args=[mine.uuid, item.pk])).status_code == 404


@pytest.mark.django_db
def test_a_closed_case_takes_no_new_records_until_reopened(client, login_as, hub):
    worker = login_as(Role.HUB_WORKER, body=hub)
    case = make_case(lead=worker)
    services.case_request_closure(case=case, reason="支援の必要がなくなったため", by=worker.user)
    supervisor = make_person(role=Role.HUB_SUPERVISOR, body=hub)
    services.case_decide_closure(case=case, approve=True, by=supervisor.user)
    url = reverse("cases:consultation_create", args=[case.uuid])
    data = {"at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "method": "phone", "content": "終結後の記録"}
    assert client.post(url, data)["Location"] == case.get_absolute_url()
    assert not case.consultations.exists()
    services.case_reopen(case=Case.objects.get(pk=case.pk), reason="再び相談の連絡があったため", by=worker.user)
    assert client.post(url, data).status_code == 302
    assert case.consultations.count() == 1
