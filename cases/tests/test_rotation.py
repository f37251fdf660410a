"""rotate_case_keys: every current row re-encrypted under the new key and still readable; history stays
append-only (old ciphertext), readable while the old key remains configured."""

import io

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from cases import services
from cases.management.commands.rotate_case_keys import CHANGE_REASON, encrypted_models
from cases.models import Case, Consultation, Information, Referral
from registry.models import Body
from registry.system import SYSTEM_USERNAME
from tests.factories.cases import make_case, make_hub_worker, make_plan_item

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def _columns(model, fields):
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(quote(f.column) for f in fields)} FROM {quote(model._meta.db_table)}")  # noqa: S608
        return [value for row in cursor.fetchall() for value in row if value]


def _readable_by(key, token):
    try:
        Fernet(key).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


@pytest.fixture
def data(bodies, settings):
    settings.CASE_ENCRYPTION_KEYS = [OLD]
    worker = make_hub_worker()
    case = make_case(lead=worker, name="鍵 花子", address="上尾市上町", perpetrator_info="元夫")
    services.consultation_record(
        case=case, data={"at": case.opened_at, "method": "visit", "content": "来所相談"}, by=worker.user
    )
    dept = Body.objects.get(code="dept-seikatsu-shien")
    item = make_plan_item(case, body=dept, by=worker.user)
    services.referral_send(
        plan_item=item,
        to_body=dept,
        fields=["name"],
        request="申請支援をお願いします",
        legal_basis="life_or_body",
        legal_basis_note="生命の危険があり急を要するため",
        by=worker.user,
        access_basis="assignment",
    )
    services.information_submit(
        by=worker.user, body=worker.body, data={"observation": "電話で連絡", "awareness": "unknown"}
    )
    return case


@pytest.mark.django_db
def test_rotation_re_encrypts_every_current_row_and_keeps_everything_readable(data, settings):
    settings.CASE_ENCRYPTION_KEYS = [NEW, OLD]
    call_command("rotate_case_keys", stdout=io.StringIO())
    for model, fields in encrypted_models(include_history=False):
        for token in _columns(model, fields):
            assert _readable_by(NEW, token), model
    # Through the models, with both keys configured, every row, history included, reads back.
    case = Case.objects.get(pk=data.pk)
    assert (case.name, case.address, case.perpetrator_info) == ("鍵 花子", "上尾市上町", "元夫")
    assert Consultation.objects.get().content == "来所相談"
    assert Referral.objects.get().packet == {"name": "鍵 花子"}
    assert Information.objects.get().observation == "電話で連絡"
    assert {h.name for h in case.history.all()} == {"鍵 花子"}
    rotated = case.history.filter(history_change_reason=CHANGE_REASON).get()
    assert rotated.history_user.username == SYSTEM_USERNAME


@pytest.mark.django_db
def test_history_keeps_the_old_ciphertext_so_the_old_key_must_stay(data, settings):
    settings.CASE_ENCRYPTION_KEYS = [NEW, OLD]
    call_command("rotate_case_keys", stdout=io.StringIO())
    history_model = Case.history.model
    tokens = _columns(history_model, [history_model._meta.get_field("name")])
    assert any(_readable_by(OLD, t) for t in tokens)  # written before the rotation, never updated
    assert any(_readable_by(NEW, t) for t in tokens)  # the rotation's own history row
    report = io.StringIO()
    call_command("rotate_case_keys", "--check", stdout=report)
    assert "cases_historicalcase" in report.getvalue()
    assert "cases_case:" not in report.getvalue()
    # With the old key retired, current rows still read; old history does not (documented trade-off).
    settings.CASE_ENCRYPTION_KEYS = [NEW]
    assert Case.objects.get(pk=data.pk).name == "鍵 花子"
    with pytest.raises(ImproperlyConfigured, match="cannot be decrypted"):
        list(Case.history.filter(id=data.pk))


@pytest.mark.django_db
def test_without_rotation_a_retired_key_makes_rows_unreadable(data, settings):
    settings.CASE_ENCRYPTION_KEYS = [NEW]
    with pytest.raises(ImproperlyConfigured):
        Case.objects.get(pk=data.pk)
