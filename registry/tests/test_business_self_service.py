"""A business member's own pages: profile and pledges, flagged changes, asking to withdraw."""

import pytest
from django.core import mail
from django.urls import reverse

from registry import services
from registry.models import Body, BodyActivity, BodyPledge, Person, PledgeVersion, WithdrawalRequest
from tests.factories.registry import make_body, make_person, make_user

Role = Person.Role


@pytest.fixture
def shop(db):
    body = make_body(
        name="あげお薬局",
        name_kana="アゲオヤッキョク",
        business_kind="pharmacy",
        representative="上尾 一郎",
        postal_code="362-8501",
        address="埼玉県上尾市本町3-1-1",
        phone="048-775-1234",
        email="shop@example.jp",
    )
    BodyActivity.objects.create(body=body, activity="poster")
    services.body_pledge_record(
        body=body,
        version=PledgeVersion.current(),
        accepted_at=body.history.get().history_date,
        accepted_by_name="上尾 一郎",
        source=BodyPledge.Source.SIGNUP,
        by=None,
    )
    return body


@pytest.fixture
def secretariat_inbox(bodies):
    return make_person(
        role=Role.SECRETARIAT,
        body=Body.objects.get(code="dept-jinken-danjo"),
        user=make_user(email="jimukyoku@city.example.jp"),
    )


def profile_data(body, **changes):
    data = {
        "name": body.name,
        "name_kana": body.name_kana,
        "business_kind": body.business_kind,
        "representative": body.representative,
        "postal_code": body.postal_code,
        "address": body.address,
        "in_city": "on" if body.in_city else "",
        "phone": body.phone,
        "email": body.email,
        "website": body.website,
        "activities": ["poster"],
        "activity_other": "",
        "roster_consent": "",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
class TestHome:
    def test_shows_the_profile_and_the_art10_records(self, client, login_as, shop):
        login_as(Role.BUSINESS_MEMBER, body=shop)
        response = client.get(reverse("registry:business_home"))
        html = response.content.decode()
        assert response.status_code == 200
        assert "あげお薬局" in html and "ポスターの掲示" in html
        assert "事業所として：第1版" in html and "登録申請時" in html
        assert "担当者として：第1版" in html

    def test_other_roles_are_refused(self, client, login_as, bodies):
        login_as(Role.AGENCY_STAFF, body=Body.objects.get(code="agency-yakuzaishikai"))
        assert client.get(reverse("registry:business_home")).status_code == 403

    def test_navigation_leads_a_business_member_to_their_page(self, client, login_as, shop):
        login_as(Role.BUSINESS_MEMBER, body=shop)
        nav = client.get(reverse("home")).context["nav_items"]
        assert ("registry:business_home", "自事業所") in nav

    def test_wrong_method_is_405(self, client, login_as, shop):
        login_as(Role.BUSINESS_MEMBER, body=shop)
        assert client.post(reverse("registry:business_home")).status_code == 405


@pytest.mark.django_db
class TestProfile:
    def test_contact_and_pledge_changes_are_saved_with_history_and_not_flagged(
        self, client, login_as, shop, secretariat_inbox, on_commit
    ):
        person = login_as(Role.BUSINESS_MEMBER, body=shop)
        with on_commit():
            response = client.post(
                reverse("registry:business_profile"),
                profile_data(shop, phone="０４８－７７５－９９９９", activities=["poster", "goods"]),
            )
        assert response.status_code == 302
        shop.refresh_from_db()
        assert shop.phone == "048-775-9999" and not shop.needs_review
        assert sorted(a.activity for a in shop.activities.all()) == ["goods", "poster"]
        assert shop.history.latest().history_user == person.user
        assert BodyActivity.history.filter(activity="goods").get().history_user == person.user
        assert mail.outbox == []

    def test_a_new_name_or_address_is_flagged_to_the_secretariat(
        self, client, login_as, shop, secretariat_inbox, on_commit
    ):
        login_as(Role.BUSINESS_MEMBER, body=shop)
        with on_commit():
            client.post(reverse("registry:business_profile"), profile_data(shop, address="埼玉県上尾市宮本町1-1"))
        shop.refresh_from_db()
        assert shop.needs_review and shop.address == "埼玉県上尾市宮本町1-1"
        (message,) = mail.outbox
        assert message.to == ["jimukyoku@city.example.jp"]
        assert f"/registry/bodies/{shop.pk}/" in message.body
        assert "宮本町" not in message.body and "あげお薬局" not in message.body
        # The secretariat sees the flag and clears it.
        client.logout()
        login_as(Role.SECRETARIAT, body=secretariat_inbox.body)
        assert shop in client.get(reverse("registry:application_list")).context["flagged"]
        client.post(reverse("registry:body_review_clear", args=[shop.pk]))
        shop.refresh_from_db()
        assert not shop.needs_review

    def test_removing_an_activity_keeps_its_history(self, client, login_as, shop):
        login_as(Role.BUSINESS_MEMBER, body=shop)
        client.post(reverse("registry:business_profile"), profile_data(shop, activities=["leaflet"]))
        assert [a.activity for a in shop.activities.all()] == ["leaflet"]
        assert BodyActivity.history.filter(activity="poster", history_type="-").exists()

    def test_bad_input_is_refused_with_japanese_messages(self, client, login_as, shop):
        login_as(Role.BUSINESS_MEMBER, body=shop)
        response = client.post(
            reverse("registry:business_profile"), profile_data(shop, name_kana="ageo", activities=[])
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "フリガナはカタカナで入力してください。" in html
        assert "協力できることを1つ以上選んでください。" in html

    def test_other_roles_are_refused(self, client, login_as, bodies, shop):
        login_as(Role.SECRETARIAT)
        assert client.post(reverse("registry:business_profile"), profile_data(shop)).status_code == 403

    def test_wrong_method_is_405(self, client, login_as, shop):
        login_as(Role.BUSINESS_MEMBER, body=shop)
        assert client.delete(reverse("registry:business_profile")).status_code == 405


@pytest.mark.django_db
class TestWithdrawRequest:
    def test_asking_to_withdraw_reaches_the_secretariat_once(
        self, client, login_as, shop, secretariat_inbox, on_commit
    ):
        person = login_as(Role.BUSINESS_MEMBER, body=shop)
        with on_commit():
            response = client.post(
                reverse("registry:business_withdraw_request"),
                {"wished_on": "2025-05-31", "reason": "閉店のため", "confirm": "on"},
            )
        assert response.status_code == 302
        request = WithdrawalRequest.objects.get()
        assert request.requested_by == person.user and request.body == shop
        assert mail.outbox[0].to == ["jimukyoku@city.example.jp"]
        assert f"/registry/bodies/{shop.pk}/withdraw/" in mail.outbox[0].body
        assert "閉店" not in mail.outbox[0].body
        # The body is still a member until the secretariat processes it.
        shop.refresh_from_db()
        assert shop.is_active
        again = client.post(
            reverse("registry:business_withdraw_request"), {"reason": "", "confirm": "on"}
        ).content.decode()
        assert "退会の申出は既に受け付けています" in again
        assert WithdrawalRequest.objects.count() == 1

    def test_confirmation_is_required(self, client, login_as, shop):
        login_as(Role.BUSINESS_MEMBER, body=shop)
        response = client.post(reverse("registry:business_withdraw_request"), {"reason": ""})
        assert "確認のチェックを入れてください。" in response.content.decode()
        assert not WithdrawalRequest.objects.exists()

    def test_other_roles_are_refused(self, client, login_as, bodies):
        login_as(Role.HUB_WORKER, body=Body.objects.get(code="hub"))
        assert client.get(reverse("registry:business_withdraw_request")).status_code == 403
