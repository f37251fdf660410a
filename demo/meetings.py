"""The demo's meetings (要綱 Art. 7–9): a held representatives' meeting with approved, published minutes,
a held case-review meeting with its review sheets, and a practitioners' meeting still to come whose
invitations wait for answers on the members' home pages."""

import datetime

from cases.models import PacketField
from demo.base import World
from meetings import services
from meetings.documents import minutes_pdf_document
from meetings.models import Attendee, Meeting, Minutes
from registry.models import Body

Kind = Meeting.Kind

# The people who answer for their body (key in world.people) at the representatives' meeting.
REPRESENTATIVES = [
    "secretariat",
    "hub",
    "supervisor",
    "department",
    "agency",
    "business",
    "kodomo",
    "pref-centre",
    "police",
    "shakyo",
    "aoba-clinic",
    "suzukake-pharmacy",
    "tsunagu-npo",
]
AGENDA_7 = [
    (
        "ネットワークの運営状況について",
        "事務局から、登録事業所の増加と情報提供の件数を報告した。",
        "登録事業所への研修案内を年度内に2回行う。",
    ),
    (
        "構成機関の連携について",
        "庁内連携の依頼から回答までの日数について意見交換を行った。",
        "依頼を受けた課は2週間以内に受領を返す。",
    ),
    (
        "困難な問題を抱える女性への支援について",
        "拠点から、相談の傾向（生活困窮とDVの重なり）を説明した。",
        "相談窓口カードを各構成機関の女性トイレに設置する。",
    ),
]


def _attend(world: World, meeting: Meeting, keys: list[str], day: datetime.date) -> None:
    """Each invited body answers once, naming its people among `keys`."""
    by_body: dict[int, list] = {}
    for key in keys:
        by_body.setdefault(world.people[key].body_id, []).append(world.people[key])
    for n, people in enumerate(by_body.values()):
        invitation = meeting.invitations.filter(body_id=people[0].body_id).first()
        if invitation is None:
            continue
        with world.clock(day, 9, n):
            services.invitation_answer(invitation=invitation, attending=True, people=people, by=people[0].user)


def _held(world: World, meeting: Meeting, day: datetime.date) -> None:
    with world.clock(day, 17):
        states = {a.pk: Attendee.Attendance.PRESENT for a in meeting.attendees.filter(withdrawn=False)}
        services.attendance_record(meeting=meeting, states=states, by=meeting.organiser.user)


def representatives(world: World) -> Meeting:
    secretariat = world.people["secretariat"]
    day = world.day(75)
    with world.clock(world.day(45), 10):
        meeting = services.meeting_create(
            kind=Kind.REPRESENTATIVES,
            data={
                "date": day,
                "start_time": datetime.time(14, 0),
                "end_time": datetime.time(16, 0),
                "place": "上尾市役所 7階 大会議室",
                "answer_by": day - datetime.timedelta(days=7),
                "next_meeting": "来年度の同じ時期に開催予定",
            },
            organiser=secretariat,
            by=secretariat.user,
        )
        services.invitations_send(meeting=meeting, bodies=list(services.default_bodies(meeting)), by=secretariat.user)
        for n, (title, _discussion, _decision) in enumerate(AGENDA_7):
            services.agenda_item_add(
                meeting=meeting,
                data={"title": title, "matter": Meeting.MATTERS[Kind.REPRESENTATIVES][n], "presenter": "事務局"},
                by=secretariat.user,
            )
    _attend(world, meeting, REPRESENTATIVES, world.day(50))
    _held(world, meeting, day)
    with world.clock(day, 17, 30):
        for n, item in enumerate(meeting.agenda_items.order_by("position")):
            _title, discussion, decision = AGENDA_7[n]
            services.agenda_item_update(
                item=item, data={"discussion": discussion, "decisions": decision}, by=secretariat.user
            )
        last = meeting.agenda_items.order_by("position").last()
        for key, description, due in [
            ("business", "相談窓口カードを女性トイレに設置する", 40),
            ("department", "庁内の窓口に相談窓口カードを置く", 40),
            ("agency", "会員薬局へリーフレットを配布する", 60),
            ("aoba-clinic", "待合室にポスターを掲示する", 30),
        ]:
            services.action_add(
                item=last,
                data={"body": world.people[key].body, "description": description, "due_on": world.future_day(due)},
                by=secretariat.user,
            )
    circulated = world.day(80)
    with world.clock(circulated, 10):
        services.minutes_circulate(
            meeting=meeting, confirm_by=circulated + datetime.timedelta(days=14), by=secretariat.user
        )
    for n, key in enumerate(["hub", "department", "agency", "business"]):
        with world.clock(world.day(82), 11, n):
            services.minutes_confirm(meeting=meeting, person=world.people[key], by=world.people[key].user)
    approved = world.day(95)
    with world.clock(approved, 15):
        minutes = services.minutes_approve(meeting=meeting, person=secretariat, by=secretariat.user)
        # Rendered here rather than by the worker, so the demo opens with the minutes locked and published.
        meeting = Meeting.objects.get(pk=meeting.pk)
        document = minutes_pdf_document(meeting)
        minutes = services.minutes_store_pdf(minutes=minutes, content=document.content, by=secretariat.user)
    with world.clock(world.day(96), 10):
        services.minutes_publish(minutes=minutes, by=secretariat.user)
    return meeting


def case_review(world: World, cases: dict) -> Meeting:
    """Art. 9 on two of demo-hub's cases: the sheets, the attendees' duty confirmed, minutes in draft."""
    hub = world.people["hub"]
    day = world.day(-10)
    with world.clock(world.day(-20), 10):
        meeting = services.meeting_create(
            kind=Kind.CASE_REVIEW,
            data={
                "date": day,
                "start_time": datetime.time(10, 0),
                "end_time": datetime.time(11, 30),
                "place": "上尾市男女共同参画推進センター 相談室",
            },
            organiser=hub,
            by=hub.user,
        )
        for index in [5, 6]:
            services.agenda_item_add(
                meeting=meeting,
                data={
                    "title": f"ケース{cases[index].number}の支援について",
                    "matter": Meeting.MATTERS[Kind.CASE_REVIEW][1],
                    "presenter": "拠点",
                    "case": cases[index],
                },
                by=hub.user,
            )
            services.review_sheet_prepare(
                meeting=meeting,
                case=cases[index],
                fields=[PacketField.AGE, PacketField.HOUSEHOLD, PacketField.CATEGORIES, PacketField.RISK],
                by=hub.user,
            )
        bodies = [Body.objects.get(code=c) for c in ["dept-seikatsu-shien", "dept-kodomo-shien", "agency-pref-danjo"]]
        services.invitations_send(meeting=meeting, bodies=bodies, by=hub.user)
    _attend(world, meeting, ["hub", "department", "kodomo", "pref-centre"], world.day(-18))
    for n, key in enumerate(["hub", "department", "kodomo", "pref-centre"]):
        with world.clock(day, 10, n):
            services.duty_confirm(meeting=meeting, person=world.people[key], ip="192.0.2.1", by=world.people[key].user)
    _held(world, meeting, day)
    with world.clock(day, 12):
        for item in meeting.agenda_items.order_by("position"):
            services.agenda_item_update(
                item=item,
                data={
                    "discussion": "本人の状況と支援の経過を確認した（資料は会議の終わりに回収）。",
                    "decisions": "生活支援課が生活保護の申請を支援し、拠点が2週間後に状況を確認する。",
                },
                by=hub.user,
            )
            services.action_add(
                item=item,
                data={
                    "body": world.people["department"].body,
                    "description": "生活保護の申請支援",
                    "due_on": world.future_day(14),
                },
                by=hub.user,
            )
    return meeting


def practitioners(world: World) -> Meeting:
    """Art. 8, three weeks ahead: invitations out, most answers still to come."""
    secretariat = world.people["secretariat"]
    day = world.future_day(21)
    with world.clock(world.day(-5), 10):
        meeting = services.meeting_create(
            kind=Kind.PRACTITIONERS,
            data={
                "date": day,
                "start_time": datetime.time(14, 0),
                "end_time": datetime.time(15, 30),
                "place": "上尾市男女共同参画推進センター 研修室",
                "answer_by": day - datetime.timedelta(days=7),
            },
            organiser=secretariat,
            by=secretariat.user,
        )
        services.agenda_item_add(
            meeting=meeting,
            data={
                "title": "地域での支援の取組について",
                "matter": Meeting.MATTERS[Kind.PRACTITIONERS][2],
                "presenter": "事務局",
            },
            by=secretariat.user,
        )
        bodies = [
            world.people[k].body
            for k in ["hub", "department", "agency", "business", "kodomo", "tsunagu-npo", "aoba-clinic"]
        ]
        services.invitations_send(meeting=meeting, bodies=bodies, by=secretariat.user)
    _attend(world, meeting, ["hub", "tsunagu-npo"], world.day(-3))
    return meeting


def build(world: World, cases: dict) -> None:
    representatives(world)
    case_review(world, cases)
    practitioners(world)
    assert Minutes.objects.filter(published_at__isnull=False).exists()
