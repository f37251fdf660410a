"""The 情報提供 form: no English placeholder choice, length limits, and the status words the list uses."""

import pytest
from django.urls import reverse

from cases.models import Information
from cases.tests.test_information import FORM
from registry.models import Person


@pytest.mark.django_db
def test_no_select_an_option_and_nothing_preselected(client, login_as):
    login_as(Person.Role.BUSINESS_MEMBER)
    html = client.get(reverse("cases:info_create")).content.decode()
    assert "Select an option" not in html and "選んでください" not in html
    assert 'name="awareness" value=""' not in html
    assert 'name="awareness" value="agrees" class="form-check-input" id="id_awareness_0" required checked' not in html


@pytest.mark.django_db
@pytest.mark.parametrize("field,limit", [("woman_name", 100), ("observation", 4000), ("safe_contact", 500)])
def test_length_limits(client, login_as, field, limit):
    login_as(Person.Role.BUSINESS_MEMBER)
    response = client.post(reverse("cases:info_create"), {**FORM, field: "あ" * 10_000})
    assert response.status_code == 200
    assert f"{limit}文字以内で入力してください" in response.content.decode()
    assert not Information.objects.exists()
    assert client.post(reverse("cases:info_create"), {**FORM, field: "あ" * limit}).status_code == 302


@pytest.mark.django_db
def test_the_form_promises_the_words_the_list_shows(client, login_as):
    login_as(Person.Role.BUSINESS_MEMBER)
    html = client.get(reverse("cases:info_create")).content.decode()
    for label in Information.SenderStatus.labels:
        assert label in html
