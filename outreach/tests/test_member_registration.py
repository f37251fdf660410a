"""Members register people of their own body: a current Person of the body from the list, or by name someone
who has no entry (exactly one); one active registration per Person and event; the roster shows the Person."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from outreach import services
from outreach.models import Registration
from registry.models import Body, Person
from tests.factories.outreach import make_event, make_registration
from tests.factories.registry import make_body, make_person

Role = Person.Role


@pytest.fixture
def pharmacy(bodies):
    return make_body(name="あげお中央薬局")


@pytest.fixture
def colleague(pharmacy):
    return make_person(body=pharmacy, name="薬局 花子")  # フリガナ: タントウ タロウ (the factory)


def _register(client, event, **data):
    return client.post(reverse("outreach:event_register", args=[event.uuid]), data, follow=True)


def test_the_form_lists_the_current_people_of_the_members_own_body_only(client, login_as, pharmacy, colleague):
    gone = make_person(body=pharmacy, name="退職 次子")
    gone.user.is_active = False
    gone.user.save()
    other = make_person(body=make_body(), name="他機関 三子")
    event = make_event()
    me = login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    response = client.get(reverse("outreach:event_detail", args=[event.uuid]))
    assert list(response.context["form"].fields["person"].queryset) == sorted(
        [colleague, me], key=lambda p: (p.name_kana, p.name, p.pk)
    )
    html = response.content.decode()
    assert "薬局 花子（タントウ タロウ）" in html and "退職 次子" not in html and other.name not in html


def test_a_member_registers_a_person_of_the_list_and_the_registration_names_them(client, login_as, pharmacy, colleague):
    event = make_event()
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    html = _register(client, event, person=colleague.pk).content.decode()
    registration = Registration.objects.get()
    assert (registration.person, registration.body, registration.name) == (colleague, pharmacy, "薬局 花子")
    assert registration.name_kana == "タントウ タロウ" and registration.status == "registered"
    assert "薬局 花子 さんを申し込みました。" in html


def test_the_same_person_twice_is_refused_with_a_message_and_nothing_changes(client, login_as, pharmacy, colleague):
    event = make_event()
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    _register(client, event, person=colleague.pk)
    html = _register(client, event, person=colleague.pk).content.decode()
    assert "薬局 花子 さんは既にこの行事に申し込まれています。" in html
    assert Registration.objects.count() == 1
    # After a cancellation the person may register again.
    services.registration_cancel(registration=Registration.objects.get())
    _register(client, event, person=colleague.pk)
    assert list(Registration.objects.order_by("id").values_list("status", flat=True)) == ["cancelled", "registered"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "申し込む人を一覧から選ぶか、一覧にいない人の氏名を入力してください（どちらか一方）。"),
        ({"name": "別人 四子"}, None),  # filled per test below: both given
        ({"name": "薬局　花子"}, "薬局 花子 さんは一覧にいます。一覧から選んでください。"),
    ],
    ids=["neither", "both", "listed-name-typed"],
)
def test_neither_both_or_a_listed_name_typed_by_hand_is_refused(client, login_as, pharmacy, colleague, data, message):
    event = make_event()
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    if message is None:
        data = {**data, "person": colleague.pk}
        message = "申し込む人を一覧から選ぶか、一覧にいない人の氏名を入力してください（どちらか一方）。"
    html = _register(client, event, **data).content.decode()
    assert message in html and not Registration.objects.exists()


def test_a_person_of_another_body_or_no_longer_current_is_refused(client, login_as, pharmacy, colleague):
    event = make_event()
    stranger = make_person(body=make_body(), name="他機関 三子")
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    html = _register(client, event, person=stranger.pk).content.decode()
    assert "自機関の現在の担当者だけを申し込めます。" in html and not Registration.objects.exists()
    # The service checks on its own too (a person who left between the form and the click).
    colleague.user.is_active = False
    colleague.user.save()
    with pytest.raises(ValidationError, match="自機関の現在の担当者だけを申し込めます"):
        services.registration_create_member(event=event, body=pharmacy, person=colleague, by=None)
    with pytest.raises(ValidationError, match="自機関の現在の担当者だけを申し込めます"):
        services.registration_create_member(event=event, body=pharmacy, person=stranger, by=None)
    assert not Registration.objects.exists()


def test_someone_without_an_entry_is_registered_by_name(client, login_as, pharmacy, colleague):
    event = make_event()
    login_as(Role.BUSINESS_MEMBER, body=pharmacy)
    _register(client, event, name="新人 五子", name_kana="しんじん いつこ")
    registration = Registration.objects.get()
    assert (registration.person, registration.name, registration.name_kana) == (None, "新人 五子", "シンジン イツコ")


def test_the_database_holds_one_active_registration_per_person_and_event(pharmacy, colleague):
    event = make_event()
    make_registration(event=event, body=pharmacy, person=colleague)
    with pytest.raises(IntegrityError, match="outreach_registration_one_active_per_person"), transaction.atomic():
        Registration.objects.create(event=event, body=pharmacy, person=colleague, name="x")
    with pytest.raises(IntegrityError, match="outreach_registration_person_has_body"), transaction.atomic():
        Registration.objects.create(event=make_event(), person=colleague, name="x")


def test_the_gatekeeper_roster_shows_the_person_and_their_body(client, login_as, pharmacy, colleague):
    event = make_event(days_ahead=-30)
    make_registration(event=event, body=pharmacy, person=colleague, name=colleague.name, attended=True)
    make_registration(event=event, body=pharmacy, name="未登録 六子", attended=True)
    login_as(Role.SECRETARIAT, body=Body.objects.get(code="dept-jinken-danjo"))
    html = client.get(reverse("outreach:gatekeeper_roster")).content.decode()
    assert "<td>あげお中央薬局</td><td>薬局 花子" in html
    assert '未登録 六子<div class="small text-muted">システム未登録</div>' in html
