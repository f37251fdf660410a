"""rotate_case_keys: every current row and every history row re-encrypted under the new key (history through the
controlled path of audit/triggers.py), so the old key can be retired and everything still reads back."""

import io

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from cases import services
from cases.management.commands.rotate_case_keys import CHANGE_REASON, encrypted_models
from cases.models import Case, Consultation, Information, Referral
from meetings.models import Meeting, ReviewSheet
from meetings.services import review_sheet_prepare
from registry.models import Body
from registry.system import SYSTEM_USERNAME
from tests.factories.cases import make_case, make_hub_worker, make_plan_item
from tests.factories.meetings import make_agenda_item, make_meeting

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
def test_after_rotation_the_old_key_is_retired_and_every_live_and_history_row_reads_back(data, settings):
    meeting = make_meeting(kind=Meeting.Kind.CASE_REVIEW, organiser=data.assignments.get().person)
    make_agenda_item(meeting, title="ケースの検討", case=data)
    review_sheet_prepare(meeting=meeting, case=data, fields=["name"], by=meeting.organiser.user)
    settings.CASE_ENCRYPTION_KEYS = [NEW, OLD]
    history_model = Case.history.model
    before = _columns(history_model, [history_model._meta.get_field("name")])
    assert before and all(_readable_by(OLD, t) for t in before)
    out = io.StringIO()
    call_command("rotate_case_keys", stdout=out)
    report = io.StringIO()
    call_command("rotate_case_keys", "--check", stdout=report)
    assert report.getvalue() == ""  # nothing left that needs the old key
    every = list(encrypted_models(include_history=True))
    assert any(m._meta.model_name == "historicalreviewsheet" for m, _f in every)
    for model, fields in every:
        for token in _columns(model, fields):
            assert _readable_by(NEW, token) and not _readable_by(OLD, token), model
    # The old key removed: every live and history row reads back through the models.
    settings.CASE_ENCRYPTION_KEYS = [NEW]
    for model, fields in every:
        for obj in model.objects.all():
            for field in fields:
                getattr(obj, field.attname)
    assert {h.name for h in Case.history.filter(id=data.pk)} == {"鍵 花子"}
    assert {h.content for h in Consultation.history.all()} == {"来所相談"}
    assert {h.packet["name"] for h in Referral.history.all()} == {"鍵 花子"}
    assert {h.packet["name"] for h in ReviewSheet.history.all()} == {"鍵 花子"}
    # History content unchanged, each rewrite recorded by the path.
    with connection.cursor() as cursor:
        cursor.execute("SELECT sum(row_count) FROM audit_guard.path_log WHERE operation = 'rewrite_history'")
        assert cursor.fetchone()[0] >= len(before)


@pytest.mark.django_db
def test_without_rotation_a_retired_key_makes_rows_unreadable(data, settings):
    settings.CASE_ENCRYPTION_KEYS = [NEW]
    with pytest.raises(ImproperlyConfigured):
        Case.objects.get(pk=data.pk)
