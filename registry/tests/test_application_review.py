"""The secretariat's review: queue, duplicate hints, approve / ask for changes / reject, the one-time link."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from audit.models import SignInEvent
from registry import services
from registry.models import Application, Body, BodyPledge, Person
from registry.tests.conftest import valid_signup_data
from tests.factories.registry import make_application, make_body, make_user

Role = Person.Role

CONFIRMED = {"confirmed": "on"}


@pytest.fixture
def secretariat(bodies, login_as):
    return login_as(Role.SECRETARIAT, body=Body.objects.get(code="dept-jinken-danjo"))


def detail_url(application):
    return reverse("registry:application_detail", args=[application.uuid])


def link_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


@pytest.mark.django_db
class TestQueue:
    def test_lists_open_applications_and_business_paperwork(self, client, secretariat):
        pending = make_application(name="審査待ち薬局")
        decided = make_application(name="却下済み団体", status=Application.Status.REJECTED)
        flagged = make_body(name="名称変更あり", needs_review=True)
        html = client.get(reverse("registry:application_list")).content.decode()
        assert pending.reference in html and "審査待ち薬局" in html
        assert flagged.name in html
        assert list(client.get(reverse("registry:application_list")).context["open_applications"]) == [pending]
        assert decided.reference not in [
            a.reference for a in client.get(reverse("registry:application_list")).context["open_applications"]
        ]

    def test_other_roles_are_refused(self, client, login_as, bodies):
        login_as(Role.HUB_SUPERVISOR, body=Body.objects.get(code="hub"))
        assert client.get(reverse("registry:application_list")).status_code == 403

    def test_query_count_does_not_grow_with_rows(self, client, secretariat, django_assert_max_num_queries):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        make_application()
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("registry:application_list"))
        for n in range(30):
            make_application(status=Application.Status.REJECTED if n % 3 == 0 else Application.Status.PENDING)
            body = make_body(needs_review=True)
            services.withdrawal_request_create(body=body, wished_on=None, reason="", by=secretariat.user)
        with django_assert_max_num_queries(len(few)):
            client.get(reverse("registry:application_list"))

    def test_wrong_method_is_405(self, client, secretariat):
        assert client.post(reverse("registry:application_list")).status_code == 405


@pytest.mark.django_db
class TestDetail:
    def test_shows_the_application_and_logs_the_read(self, client, secretariat):
        from audit.models import AccessLog

        application = make_application(name="詳細薬局")
        response = client.get(detail_url(application))
        assert response.status_code == 200
        assert "詳細薬局" in response.content.decode()
        log = AccessLog.objects.get(object_type="registry.application")
        assert log.object_label == application.reference and log.user == secretariat.user

    def test_points_out_possible_duplicates(self, client, secretariat):
        make_body(name="株式会社あげお薬局", name_kana="アゲオヤッキョク")
        make_body(name="別の店", phone="048-775-1234")
        other = make_application(name="全く違う名前", name_kana="マッタクチガウナマエ", email="HANAKO@example.jp")
        unrelated = make_body(name="無関係の団体", name_kana="ムカンケイノダンタイ", phone="048-000-0000")
        application = make_application(
            name="あげお薬局", name_kana="アゲオヤッキョク", phone="0487751234", email="hanako@example.jp"
        )
        response = client.get(detail_url(application))
        hints = {hint.label: hint.reasons for hint in response.context["hints"]}
        assert hints["構成機関：株式会社あげお薬局（構成機関）"] == ["名称が似ている"]
        assert hints["構成機関：別の店（構成機関）"] == ["電話番号が同じ"]
        assert hints[f"申請 {other.reference}：全く違う名前（審査待ち）"] == ["メールアドレスが同じ"]
        assert not any(unrelated.name in label for label in hints)
        assert "重複の可能性があります" in response.content.decode()

    def test_outsider_gets_404_and_bad_id_404(self, client, login_as, bodies):
        application = make_application()
        login_as(Role.HUB_WORKER, body=Body.objects.get(code="hub"))
        assert client.get(detail_url(application)).status_code == 404
        client.logout()
        login_as(Role.SECRETARIAT)
        assert (
            client.get(
                reverse("registry:application_detail", args=["00000000-0000-0000-0000-000000000001"])
            ).status_code
            == 404
        )

    def test_wrong_method_is_405(self, client, secretariat):
        assert client.delete(detail_url(make_application())).status_code == 405


@pytest.mark.django_db
class TestApprove:
    def test_approval_enters_the_business_creates_its_member_and_emails_a_one_time_link(
        self, client, secretariat, on_commit
    ):
        application = make_application(
            name="あげお薬局",
            contact_name="上尾 花子",
            representative="上尾 一郎",
            email="hanako@example.jp",
            activities=["poster", "gatekeeper"],
            roster_consent=True,
            roster_show_phone=True,
        )
        with on_commit():
            response = client.post(reverse("registry:application_approve", args=[application.uuid]), CONFIRMED)
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == Application.Status.APPROVED
        assert application.decided_by == secretariat.user
        body = application.body
        assert body.kind == Body.Kind.BUSINESS and body.is_active and body.business_kind == "pharmacy"
        assert body.roster_consent and body.roster_show_phone and not body.roster_show_email
        assert sorted(a.activity for a in body.activities.all()) == ["gatekeeper", "poster"]
        person = body.people.get()
        assert person.role == Role.BUSINESS_MEMBER and person.name == "上尾 花子"
        assert not person.user.has_usable_password()
        assert person.user.groups.get().name == "role:business_member"
        pledge = BodyPledge.objects.get(body=body)
        assert pledge.source == BodyPledge.Source.SIGNUP
        assert pledge.accepted_by_name == "上尾 一郎" and pledge.accepted_at == application.submitted_at
        # Every step is in the history, naming the secretariat.
        assert application.history.latest().history_user == secretariat.user
        assert body.history.get().history_user == secretariat.user
        assert person.history.get().history_user == secretariat.user

        message = mail.outbox[-1]
        assert message.to == ["hanako@example.jp"]
        assert application.reference in message.subject
        assert person.user.username in message.body
        path = link_path(message)
        assert path.startswith("/registry/activate/")

        # The link: set a password, be signed in, land on the pledge page; the link then stops working.
        client.logout()
        form_page = client.get(path, follow=True)
        assert form_page.context["validlink"] is True
        set_url = form_page.redirect_chain[-1][0]
        short = client.post(set_url, {"new_password1": "short", "new_password2": "short"})
        assert "このパスワードは短すぎます。最低 12 文字以上必要です。" in short.content.decode()
        done = client.post(
            set_url, {"new_password1": "kasumi-sou-2024!", "new_password2": "kasumi-sou-2024!"}, follow=True
        )
        assert done.redirect_chain[-1][0].startswith(reverse("registry:pledge"))
        assert done.context["user"] == person.user
        person.user.refresh_from_db()
        assert person.user.check_password("kasumi-sou-2024!")
        assert SignInEvent.objects.filter(user=person.user, kind=SignInEvent.Kind.PASSWORD_CHANGE).count() == 1
        client.logout()
        again = client.get(path, follow=True)
        assert again.context["validlink"] is False

    def test_a_deactivated_account_cannot_use_its_link(self, client, secretariat, on_commit):
        application = make_application()
        with on_commit():
            services.application_approve(application=application, by=secretariat.user)
        path = link_path(mail.outbox[-1])
        application.refresh_from_db()
        services.body_withdraw(body=application.body, left_on=application.body.joined_on, reason="辞退", by=None)
        client.logout()
        assert client.get(path, follow=True).context["validlink"] is False

    def test_username_stays_unique_when_the_email_is_already_an_account(self, secretariat):
        make_user(username="shared@example.jp")
        application = make_application(email="shared@example.jp")
        services.application_approve(application=application, by=secretariat.user)
        application.refresh_from_db()
        assert application.body.people.get().user.username == "shared@example.jp-2"

    def test_a_business_of_the_same_name_is_refused_with_a_japanese_message(self, client, secretariat):
        make_body(name="同名の店")
        application = make_application(name="同名の店")
        response = client.post(reverse("registry:application_approve", args=[application.uuid]), CONFIRMED, follow=True)
        assert "同じ名称の登録事業所が既にあります" in response.content.decode()
        application.refresh_from_db()
        assert application.status == Application.Status.PENDING
        assert get_user_model().objects.filter(email=application.email).count() == 0

    def test_only_a_pending_application_can_be_approved(self, client, secretariat):
        application = make_application(status=Application.Status.REJECTED)
        response = client.post(reverse("registry:application_approve", args=[application.uuid]), CONFIRMED, follow=True)
        assert "この操作はできません" in response.content.decode()
        assert Application.objects.get(pk=application.pk).body is None

    def test_outsider_404_and_wrong_method_405(self, client, login_as, bodies):
        application = make_application()
        login_as(Role.AGENCY_STAFF, body=Body.objects.get(code="agency-yakuzaishikai"))
        assert (
            client.post(reverse("registry:application_approve", args=[application.uuid]), CONFIRMED).status_code == 404
        )
        client.logout()
        login_as(Role.SECRETARIAT)
        assert client.get(reverse("registry:application_approve", args=[application.uuid])).status_code == 405

    def test_approve_from_the_admin_action(self, admin_client, bodies):
        application = make_application()
        response = admin_client.post(
            reverse("admin:registry_application_changelist"),
            {"action": "approve_selected", "_selected_action": [application.pk]},
        )
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == Application.Status.APPROVED


@pytest.mark.django_db
class TestChangesAndRejection:
    def test_ask_for_changes_then_the_applicant_revises_through_the_emailed_link(self, client, secretariat, on_commit):
        application = make_application(name="修正前の名前", email="hanako@example.jp")
        with on_commit():
            client.post(
                reverse("registry:application_request_changes", args=[application.uuid]),
                {"changes-reason": "番地まで入力してください。"},
            )
        application.refresh_from_db()
        assert application.status == Application.Status.CHANGES_REQUESTED
        message = mail.outbox[-1]
        assert message.to == ["hanako@example.jp"] and "番地まで入力してください。" in message.body
        path = link_path(message)

        client.logout()
        page = client.get(path)
        assert page.status_code == 200 and "番地まで入力してください。" in page.content.decode()
        assert page.context["form"]["name"].value() == "修正前の名前"
        with on_commit():
            response = client.post(path, valid_signup_data(name="修正後の名前", address="埼玉県上尾市本町3-1-1"))
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == Application.Status.PENDING
        assert application.name == "修正後の名前" and application.revision == 2
        assert Application.objects.count() == 1
        # The link was for one correction only.
        assert "このリンクは使えません" in client.get(path).content.decode()
        assert application.history.count() >= 3

    def test_reject_sends_the_reason(self, client, secretariat, on_commit):
        application = make_application(email="hanako@example.jp")
        with on_commit():
            client.post(
                reverse("registry:application_reject", args=[application.uuid]),
                {"reject-reason": "ネットワークの趣旨と異なる活動のため。"},
            )
        application.refresh_from_db()
        assert application.status == Application.Status.REJECTED
        assert application.decision_reason == "ネットワークの趣旨と異なる活動のため。"
        assert "ネットワークの趣旨と異なる活動のため。" in mail.outbox[-1].body
        assert mail.outbox[-1].to == ["hanako@example.jp"]

    def test_a_reason_is_required(self, client, secretariat):
        application = make_application()
        response = client.post(reverse("registry:application_reject", args=[application.uuid]), {"reject-reason": ""})
        assert response.status_code == 400
        assert "理由を入力してください。" in response.content.decode()
        application.refresh_from_db()
        assert application.status == Application.Status.PENDING

    def test_a_forged_revise_link_shows_the_invalid_page(self, client):
        response = client.get(reverse("registry:application_revise", args=["forged"]))
        assert "このリンクは使えません" in response.content.decode()


@pytest.mark.django_db
class TestResendLink:
    def test_an_expired_link_can_be_sent_again_until_the_password_is_set(
        self, client, secretariat, on_commit, time_machine
    ):
        time_machine.move_to("2025-06-01 10:00 +09:00")
        application = make_application(email="late@example.jp")
        with on_commit():
            services.application_approve(application=application, by=secretariat.user)
        first = link_path(mail.outbox[-1])
        application.refresh_from_db()
        person = application.body.people.get()
        time_machine.move_to("2025-06-05 10:00 +09:00")  # past PASSWORD_RESET_TIMEOUT (3 days)
        detail = client.get(reverse("registry:body_detail", args=[application.body.pk])).content.decode()
        assert "パスワード未設定" in detail
        with on_commit():
            response = client.post(reverse("registry:person_activation_resend", args=[person.pk]))
        assert response.status_code == 302
        second = link_path(mail.outbox[-1])
        assert mail.outbox[-1].to == ["late@example.jp"]
        client.logout()
        assert client.get(first, follow=True).context["validlink"] is False
        assert client.get(second, follow=True).context["validlink"] is True

    def test_not_for_someone_who_already_signed_in_and_not_for_read_only_staff(self, client, secretariat, login_as):
        member = make_user(email="done@example.jp")
        from tests.factories.registry import make_person

        person = make_person(user=member)
        response = client.post(reverse("registry:person_activation_resend", args=[person.pk]), follow=True)
        assert "リンクを送れません" in response.content.decode()
        client.logout()
        login_as(Role.HUB_WORKER, body=Body.objects.get(code="hub"))
        assert client.post(reverse("registry:person_activation_resend", args=[person.pk])).status_code == 403
        assert client.post(reverse("registry:person_activation_resend", args=[999999])).status_code == 404
        assert client.get(reverse("registry:person_activation_resend", args=[person.pk])).status_code == 405
