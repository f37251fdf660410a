"""save_tracked: the one way services save a tracked model."""

import pytest
from django.core.exceptions import ValidationError

from ageo_network.history import save_tracked
from registry.models import Body
from tests.factories.registry import make_user


@pytest.mark.django_db
def test_a_new_row_is_validated_saved_and_its_history_names_the_actor():
    by = make_user()
    body = save_tracked(Body(kind=Body.Kind.BUSINESS, name="履歴テスト薬局"), by=by)
    record = body.history.get()
    assert (record.history_type, record.history_user, record.history_change_reason) == ("+", by, None)


@pytest.mark.django_db
def test_an_update_writes_only_the_named_fields_with_the_reason():
    by = make_user()
    body = save_tracked(Body(kind=Body.Kind.BUSINESS, name="履歴テスト薬局"), by=by)
    body.phone = "048-775-1234"
    body.address = "保存されない住所"
    save_tracked(body, by=by, update_fields=["phone"], reason="電話番号の訂正")
    stored = Body.objects.get(pk=body.pk)
    assert (stored.phone, stored.address) == ("048-775-1234", "")
    record = body.history.latest()
    assert (record.history_type, record.history_user, record.history_change_reason) == ("~", by, "電話番号の訂正")


@pytest.mark.django_db
def test_full_clean_runs_unless_the_site_opts_out():
    by = make_user()
    with pytest.raises(ValidationError):
        save_tracked(Body(kind=Body.Kind.BUSINESS, name="履歴テスト薬局", email="not-an-address"), by=by)
    assert not Body.objects.filter(name="履歴テスト薬局").exists()
    body = save_tracked(
        Body(kind=Body.Kind.BUSINESS, name="履歴テスト薬局", email="not-an-address"), by=by, clean=False
    )
    assert body.history.get().history_user == by
