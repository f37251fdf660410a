"""People of the bodies outside the admin: add, role change, end with a date; the body page's people; a
business's own colleagues within its limit; the 年度替わり review with its reminder."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from registry import services
from registry.models import AnnualReview, Person
from tests.factories.registry import make_body, make_person

Role = Person.Role
MARCH = datetime.datetime(2027, 3, 10, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


def _page(response) -> str:
    return response.content.decode()


def _with_email(person, email):
    person.user.email = email
    person.user.save(update_fields=["email"])
    return person


@pytest.mark.django_db
def test_secretariat_adds_a_clerk_who_gets_a_set_password_mail(client, login_as, seikatsu, on_commit):
    secretariat = login_as(Role.SECRETARIAT)
    url = reverse("registry:person_add", args=[seikatsu.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="business_member"' not in _page(page)  # only the roles of a department
    data = {
        "name": "生活 新子",
        "name_kana": "せいかつ しんこ",
        "email": "Shinko@City.example.jp",
        "role": "department_staff",
    }
    with on_commit():
        response = client.post(url, data)
    assert response["Location"] == seikatsu.get_absolute_url()
    person = Person.objects.get(name="生活 新子")
    assert person.name_kana == "セイカツ シンコ"
    assert person.role == Role.DEPARTMENT_STAFF and person.body == seikatsu
    assert person.user.email == "shinko@city.example.jp" and not person.user.has_usable_password()
    assert person.history.get().history_user == secretariat.user
    assert list(person.user.groups.values_list("name", flat=True)) == ["role:department_staff"]
    (message,) = mail.outbox
    assert message.to == ["shinko@city.example.jp"]
    assert "担当者として、あなたのアカウントを登録しました" in message.body
    assert "/registry/activate/" in message.body
    assert "パスワード未設定" in _page(client.get(seikatsu.get_absolute_url()))


@pytest.mark.django_db
def test_a_role_not_allowed_for_the_body_is_refused(seikatsu):
    with pytest.raises(Exception, match="設定できません"):
        services.person_add(
            body=seikatsu, name="a", name_kana="ア", email="a@example.jp", role=Role.BUSINESS_MEMBER, by=None
        )


@pytest.mark.django_db
def test_adding_with_an_address_in_use_is_refused(client, login_as, seikatsu):
    login_as(Role.SECRETARIAT)
    _with_email(make_person(role=Role.DEPARTMENT_STAFF, body=seikatsu), "taken@example.jp")
    data = {
        "name": "重複 太郎",
        "name_kana": "ジュウフク タロウ",
        "email": "TAKEN@example.jp",
        "role": "department_staff",
    }
    response = client.post(reverse("registry:person_add", args=[seikatsu.pk]), data)
    assert response.status_code == 200
    assert "このメールアドレスのアカウントは既にあります" in _page(response)


@pytest.mark.django_db
def test_role_change_through_the_one_service(client, login_as, bodies):
    from registry.models import Body

    login_as(Role.SECRETARIAT)
    jinken = Body.objects.get(code="dept-jinken-danjo")
    person = make_person(role=Role.DEPARTMENT_STAFF, body=jinken)
    url = reverse("registry:person_role_change", args=[person.pk])
    assert client.post(url, {"role": "hub_worker"}).status_code == 200  # not a department's role
    assert client.post(url, {"role": "secretariat"})["Location"] == jinken.get_absolute_url()
    person.refresh_from_db()
    assert person.role == Role.SECRETARIAT
    assert list(person.user.groups.values_list("name", flat=True)) == ["role:secretariat"]


@pytest.mark.django_db
def test_end_with_a_date_keeps_the_person_and_shows_them_as_former(client, login_as, seikatsu):
    login_as(Role.SECRETARIAT)
    person = make_person(role=Role.DEPARTMENT_STAFF, body=seikatsu, name="異動 次郎")
    later = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(reverse("registry:person_end", args=[person.pk]), {"left_on": later.isoformat()})
    assert response["Location"] == seikatsu.get_absolute_url()
    person.refresh_from_db()
    assert person.left_on == later and person.user.is_active  # still current until that day
    assert "から終了" in _page(client.get(seikatsu.get_absolute_url()))

    with time_machine.travel(later + datetime.timedelta(hours=12)):
        from django.core.management import call_command

        call_command("end_memberships", verbosity=0)
        person.refresh_from_db()
        assert not person.user.is_active
        login_as(Role.SECRETARIAT)  # the first session has long timed out
        html = _page(client.get(seikatsu.get_absolute_url()))
    assert "以前の担当者" in html and "異動 次郎" in html
    assert Person.objects.filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_end_before_the_start_is_refused(client, login_as, seikatsu):
    login_as(Role.SECRETARIAT)
    person = make_person(role=Role.DEPARTMENT_STAFF, body=seikatsu)
    response = client.post(reverse("registry:person_end", args=[person.pk]), {"left_on": "2000-01-01"})
    assert response.status_code == 200
    assert "終了日は開始日以降の日付にしてください" in _page(response)


@pytest.mark.django_db
def test_body_page_people_for_the_roles_that_may_see_them(client, login_as, seikatsu, hub):
    make_person(role=Role.DEPARTMENT_STAFF, body=seikatsu, name="生活 見える子")
    login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
    assert "生活 見える子" in _page(client.get(seikatsu.get_absolute_url()))  # the body's own people
    client.logout()
    login_as(Role.HUB_WORKER, body=hub)
    html = _page(client.get(seikatsu.get_absolute_url()))
    assert "生活 見える子" not in html and 'id="people"' not in html


@pytest.mark.django_db
def test_body_page_query_count_does_not_grow_with_people(client, login_as, seikatsu, django_assert_max_num_queries):
    login_as(Role.SECRETARIAT)
    for _ in range(30):
        make_person(role=Role.DEPARTMENT_STAFF, body=seikatsu)
    with django_assert_max_num_queries(20):
        assert client.get(seikatsu.get_absolute_url()).status_code == 200


# --- a business's own colleagues -----------------------------------------------------------------------------


@pytest.fixture
def business_member(login_as, bodies):
    body = make_body(name="上尾みどり薬局")
    return login_as(Role.BUSINESS_MEMBER, body=body)


def _invite(client, n):
    data = {"name": f"同僚 {n}", "name_kana": "ドウリョウ", "email": f"colleague{n}@example.jp"}
    return client.post(reverse("registry:colleague_add"), data)


@pytest.mark.django_db
def test_a_business_invites_colleagues_up_to_its_limit_and_the_secretariat_is_told(
    client, business_member, login_as, on_commit
):
    secretariat_person = _with_email(make_person(role=Role.SECRETARIAT), "jimukyoku@city.example.jp")
    assert secretariat_person.is_current
    with on_commit():
        assert _invite(client, 1)["Location"] == reverse("registry:business_home")
        assert _invite(client, 2)["Location"] == reverse("registry:business_home")
        refused = _invite(client, 3)  # the member and two colleagues: 3, the default limit
    assert refused.status_code == 200
    assert "担当者は3人までです" in _page(refused)
    body = business_member.body
    assert Person.objects.current().filter(body=body).count() == 3
    to_secretariat = [m for m in mail.outbox if m.to == ["jimukyoku@city.example.jp"]]
    assert len(to_secretariat) == 2
    assert body.get_absolute_url() in to_secretariat[0].body and "同僚" not in to_secretariat[0].body
    assert {m.to[0] for m in mail.outbox} >= {"colleague1@example.jp", "colleague2@example.jp"}
    html = _page(client.get(reverse("registry:business_home")))
    assert "同僚 1" in html and "上限 3人" in html
    assert reverse("registry:colleague_add") not in html  # the limit is reached


@pytest.mark.django_db
def test_a_business_ends_a_colleague_but_not_itself(client, business_member, on_commit):
    colleague = make_person(role=Role.BUSINESS_MEMBER, body=business_member.body, name="同僚 終子")
    with on_commit():
        response = client.post(reverse("registry:colleague_end", args=[colleague.pk]))
    assert response["Location"] == reverse("registry:business_home")
    colleague.refresh_from_db()
    assert colleague.left_on == timezone.localdate() and not colleague.user.is_active
    client.post(reverse("registry:colleague_end", args=[business_member.pk]))
    business_member.refresh_from_db()
    assert business_member.left_on is None
    other = make_person(role=Role.BUSINESS_MEMBER, body=make_body())
    assert client.post(reverse("registry:colleague_end", args=[other.pk])).status_code == 404


@pytest.mark.django_db
def test_the_secretariat_sets_the_limit(client, login_as, bodies):
    login_as(Role.SECRETARIAT)
    body = make_body()
    response = client.post(reverse("registry:body_people_limit", args=[body.pk]), {"people_limit": "5"})
    assert response["Location"] == body.get_absolute_url()
    body.refresh_from_db()
    assert body.people_limit == 5
    assert body.history.first().history_user is not None


# --- the 年度替わり review ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_annual_review_answer_ends_leavers_on_31_march(client, login_as, seikatsu):
    with time_machine.travel(MARCH):
        me = login_as(Role.DEPARTMENT_STAFF, body=seikatsu)
        leaver = make_person(role=Role.DEPARTMENT_STAFF, body=seikatsu, name="転出 三郎")
        url = reverse("registry:annual_review_answer", args=[seikatsu.pk])
        html = _page(client.get(url))
        assert "令和9年度" in html and "転出 三郎" in html
        response = client.post(url, {f"person_{leaver.pk}": "leaves"})
        assert response.status_code == 200
        assert f"{me.name}さんについて、継続か終了かを選んでください" in _page(response)
        response = client.post(url, {f"person_{me.pk}": "continues", f"person_{leaver.pk}": "leaves"})
        assert response["Location"] == url
        leaver.refresh_from_db()
        me.refresh_from_db()
        assert leaver.left_on == datetime.date(2027, 4, 1) and me.left_on is None
        review = AnnualReview.objects.get(body=seikatsu, fiscal_year=2027)
        assert {(e.person_id, e.continues) for e in review.entries.all()} == {(me.pk, True), (leaver.pk, False)}
        assert "3月31日で終了" in _page(client.get(url))


@pytest.mark.django_db
def test_secretariat_sees_who_has_not_answered_and_reminds_them(client, login_as, seikatsu, police, on_commit):
    with time_machine.travel(MARCH):
        login_as(Role.SECRETARIAT)
        answered = _with_email(make_person(role=Role.DEPARTMENT_STAFF, body=seikatsu), "seikatsu@example.jp")
        waiting = _with_email(make_person(role=Role.AGENCY_STAFF, body=police), "police@example.jp")
        services.annual_review_answer(body=seikatsu, year=2027, continuing={answered.pk: True}, by=answered.user)
        page = client.get(reverse("registry:annual_review_list"))
        html = _page(page)
        waiting_part = html.split("回答済み")[0]
        assert police.name in waiting_part and seikatsu.name not in waiting_part
        with on_commit():
            response = client.post(reverse("registry:annual_review_remind"))
        assert response["Location"] == reverse("registry:annual_review_list")
    reminded = [m for m in mail.outbox if "担当者の確認のお願い" in m.subject]
    assert [m.to for m in reminded if m.to == ["police@example.jp"]] == [["police@example.jp"]]
    assert not [m for m in reminded if m.to == ["seikatsu@example.jp"]]
    assert re.search(rf"/registry/reviews/bodies/{police.pk}/", reminded[0].body) or any(
        f"/registry/reviews/bodies/{police.pk}/" in m.body for m in reminded
    )
    assert waiting.is_current


@pytest.mark.django_db
def test_another_body_cannot_answer(client, login_as, seikatsu, police):
    login_as(Role.AGENCY_STAFF, body=police)
    assert client.get(reverse("registry:annual_review_answer", args=[seikatsu.pk])).status_code == 404
    assert client.get(reverse("registry:annual_review_list")).status_code == 403


@pytest.mark.django_db
def test_the_reminder_command_runs_only_in_the_review_season(police, on_commit):
    import io

    from django.core.management import call_command

    _with_email(make_person(role=Role.AGENCY_STAFF, body=police), "police@example.jp")
    with time_machine.travel(datetime.datetime(2027, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))), on_commit():
        call_command("annual_review_remind", stdout=io.StringIO())
    assert mail.outbox == []
    with time_machine.travel(MARCH), on_commit():
        call_command("annual_review_remind", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [["police@example.jp"]]
