"""Permission-matrix rows of the meetings app (tests/test_permission_matrix.py).

The world's meeting is an Art. 7 meeting organised by the secretariat, with the department and the
world's own business invited: the secretariat manages it, the invited bodies read it (a write is 403),
everyone else gets 404. Final Art. 7 minutes are open to every member."""

from tests.permission_matrix import AGENCY, BUSINESS, DEPARTMENT, HUB, MEMBERS, SECRETARIAT, SUPERVISOR, SYSADMIN, Row

INVITED = [DEPARTMENT, BUSINESS]
OUTSIDERS = [HUB, SUPERVISOR, AGENCY, SYSADMIN]


def _meeting(world):
    from tests.factories.meetings import make_meeting

    if not hasattr(world, "meeting"):
        world.meeting = make_meeting(invite=[world.department, world.business])
    return world.meeting


def _uuid(world):
    return {"uuid": _meeting(world).uuid}


def _item(world):
    from tests.factories.meetings import make_agenda_item

    meeting = _meeting(world)
    item = meeting.agenda_items.first() or make_agenda_item(meeting)
    return {"uuid": meeting.uuid, "pk": item.pk}


def _invitation(world):
    return {"uuid": _meeting(world).invitations.get(body=world.department).uuid}


def _action(world):
    from meetings import services

    kwargs = _item(world)
    item = world.meeting.agenda_items.get(pk=kwargs["pk"])
    action = services.action_add(
        item=item,
        data={"body": world.department, "description": "ポスター掲示", "due_on": world.meeting.date},
        by=world.meeting.organiser.user,
    )
    return {"pk": action.pk}


def _correction(world):
    from meetings import services
    from tests.factories.meetings import circulate
    from tests.factories.registry import make_person

    kwargs = _item(world)
    meeting = world.meeting
    attendee = make_person(role="department_staff", body=world.department)
    services.invitation_answer(
        invitation=meeting.invitations.get(body=world.department), attending=True, people=[attendee], by=attendee.user
    )
    circulate(meeting)
    correction = services.correction_propose(
        item=meeting.agenda_items.get(pk=kwargs["pk"]), person=attendee, text="字句の修正", by=attendee.user
    )
    return {"uuid": correction.uuid}


def _circulated(world):
    from tests.factories.meetings import circulate

    circulate(_meeting(world))
    return _uuid(world)


def _circulated_to_department(world):
    """Circulated minutes with the department's signed-in person (when the role is the department's) as attendee."""
    from meetings import services
    from tests.factories.meetings import attend, circulate
    from tests.factories.registry import make_person

    meeting = _meeting(world)
    person = world.people.get(DEPARTMENT) or make_person(role="department_staff", body=world.department)
    attend(meeting, world.department, person)
    circulate(meeting)
    assert services.unconfirmed_attendee_people(meeting).exists()
    return _uuid(world)


def _locked(world):
    from tests.factories.meetings import lock_minutes

    lock_minutes(_meeting(world))
    return _uuid(world)


def _published(world):
    from meetings import services

    kwargs = _locked(world)
    services.minutes_publish(minutes=world.meeting.minutes, by=world.meeting.organiser.user)
    return kwargs


def _case_meeting(world):
    """An Art. 9 meeting organised by a hub worker (not the role's person) on one case, the department invited."""
    from meetings import services
    from tests.factories.cases import make_case
    from tests.factories.meetings import attend, make_agenda_item, make_meeting

    if not hasattr(world, "case_meeting"):
        meeting = make_meeting(kind="case_review", invite=[world.department])
        if DEPARTMENT in world.people:  # the department names its person as the attendee: the sheets open to them
            attend(meeting, world.department, world.people[DEPARTMENT])
        case = make_case(lead=meeting.organiser, name="検討 花子")
        make_agenda_item(meeting, title="支援方針", case=case)
        world.case_meeting = meeting
        world.sheet = services.review_sheet_prepare(
            meeting=meeting, case=case, fields=["categories", "risk"], by=meeting.organiser.user
        )
    return {"uuid": world.case_meeting.uuid}


def _sheet(world):
    _case_meeting(world)
    return {"uuid": world.sheet.uuid}


def _decision(world):
    kwargs = _case_meeting(world)
    item = world.case_meeting.agenda_items.get()
    from meetings import services

    services.agenda_item_update(
        item=item, data={"decisions": "生活保護の申請を支援する。"}, by=world.case_meeting.organiser.user
    )
    return {**kwargs, "pk": item.pk}


def _decision_data(world):
    return {"service": "livelihood_protection", "responsible_body": world.department.pk}


def _material(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ageo_network.uploads import PDF
    from meetings import services

    kwargs = _item(world)
    item = world.meeting.agenda_items.get(pk=kwargs["pk"])
    upload = SimpleUploadedFile("資料.pdf", b"%PDF-1.4 material\n")
    material = services.material_add(
        item=item, title="資料1", uploaded=upload, kind=PDF, by=world.meeting.organiser.user
    )
    return {"uuid": material.uuid}


def _feed(world):
    from meetings import services
    from tests.factories.registry import make_person

    person = make_person(role="department_staff", body=world.department)
    return {"token": services.calendar_token_issue(person=person, by=person.user).secret}


def _manage(**extra):
    """A page of the organiser: the secretariat; the invited bodies 403; everyone else 404."""
    return Row(ok=[SECRETARIAT], other=404, overrides={r: 403 for r in INVITED}, **extra)


MATRIX = {
    "meetings:meeting_list": Row(ok=[r for r in MEMBERS if r != SYSADMIN]),
    "meetings:meeting_create": Row(ok=[SECRETARIAT, HUB, SUPERVISOR]),
    "meetings:meeting_detail": Row(ok=[SECRETARIAT, *INVITED], other=404, kwargs=_uuid),
    "meetings:meeting_update": _manage(kwargs=_uuid),
    "meetings:meeting_cancel": _manage(ok_status=302, method="post", kwargs=_uuid),
    "meetings:meeting_invite": _manage(kwargs=_uuid),
    "meetings:invitation_answer": Row(ok=[DEPARTMENT], other=404, kwargs=_invitation),
    "meetings:agenda_item_create": _manage(kwargs=_uuid),
    "meetings:agenda_item_update": _manage(kwargs=_item),
    "meetings:action_create": _manage(ok_status=302, method="post", kwargs=_item),
    "meetings:action_done": Row(ok=[DEPARTMENT], other=404, ok_status=302, method="post", kwargs=_action),
    "meetings:attendance": _manage(kwargs=_uuid),
    "meetings:external_attendee_create": _manage(ok_status=302, method="post", kwargs=_uuid),
    # Only an attendee proposes corrections: the role's own person is not one, so it is 403 for those
    # who see the meeting (tests/test_minutes_lifecycle covers an attendee).
    "meetings:correction_create": Row(
        ok=[], other=404, method="post", kwargs=_item, overrides={SECRETARIAT: 403, **{r: 403 for r in INVITED}}
    ),
    "meetings:correction_decide": _manage(ok_status=302, method="post", kwargs=_correction),
    "meetings:minutes_circulate": _manage(ok_status=302, method="post", kwargs=_uuid),
    "meetings:minutes_approve": _manage(ok_status=302, method="post", kwargs=_circulated),
    "meetings:minutes_confirm": Row(
        ok=[DEPARTMENT],
        other=404,
        ok_status=302,
        method="post",
        kwargs=_circulated_to_department,
        overrides={SECRETARIAT: 403, BUSINESS: 403},
    ),
    "meetings:minutes_remind": _manage(ok_status=302, method="post", kwargs=_circulated_to_department),
    # Once Art. 7 minutes are final every member reads the meeting, so a write is 403 (not 404) for them.
    "meetings:erratum_create": Row(
        ok=[SECRETARIAT], ok_status=302, method="post", kwargs=_locked, overrides={SYSADMIN: 404}
    ),
    "meetings:minutes_publish": Row(
        ok=[SECRETARIAT], ok_status=302, method="post", kwargs=_locked, overrides={SYSADMIN: 404}
    ),
    # Final Art. 7 minutes: every member (not the system administrator).
    "meetings:minutes_pdf": Row(ok=[r for r in MEMBERS if r != SYSADMIN], other=404, kwargs=_locked),
    # Art. 9: the supervisor manages it, the secretariat sees its metadata (a write is 403), the invited
    # department reads — the review sheet only after the Art. 10 confirmation (a redirect until then).
    "meetings:review_sheet_create": Row(
        ok=[SUPERVISOR], other=404, kwargs=_case_meeting, overrides={SECRETARIAT: 403, DEPARTMENT: 403}
    ),
    # Only for a named attendee whose sheets it opens; the secretariat (metadata) and the hub side (no confirmation
    # needed) see the meeting but not this page.
    "meetings:duty_confirm": Row(
        ok=[DEPARTMENT], other=404, kwargs=_case_meeting, overrides={SECRETARIAT: 403, SUPERVISOR: 403}
    ),
    "meetings:review_sheet_detail": Row(ok=[SUPERVISOR], other=404, kwargs=_sheet, overrides={DEPARTMENT: 302}),
    "meetings:decision_plan_item": Row(
        ok=[SUPERVISOR],
        other=404,
        ok_status=302,
        method="post",
        kwargs=_decision,
        data=_decision_data,
        overrides={SECRETARIAT: 403, DEPARTMENT: 403},
    ),
    "meetings:material_create": _manage(ok_status=302, method="post", kwargs=_item),
    "meetings:material_download": Row(ok=[SECRETARIAT, *INVITED], other=404, kwargs=_material),
    "meetings:calendar_settings": Row(ok=[r for r in MEMBERS if r != SYSADMIN]),
    "meetings:calendar_token_issue": Row(ok=[r for r in MEMBERS if r != SYSADMIN], ok_status=200, method="post"),
    "meetings:calendar_token_revoke": Row(ok=[r for r in MEMBERS if r != SYSADMIN], ok_status=302, method="post"),
    "meetings:calendar_feed": Row(ok=MEMBERS, public=True, kwargs=_feed),
    "meetings:public_minutes_list": Row(ok=MEMBERS, public=True),
    "meetings:public_minutes_pdf": Row(ok=MEMBERS, public=True, kwargs=_published),
}
