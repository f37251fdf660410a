"""The hub's case work of the demo: twenty fictitious women at every stage, from information sent by
partners to closure, with the records, referrals and consents a real case file holds. Everything goes
through cases/services.py, so the fields are encrypted and every change has its history row."""

import datetime
from dataclasses import dataclass, field

from audit.models import AccessLog
from cases import services
from cases.models import Case, Information, PacketField, PlanItem, ProtectionStay
from demo.base import World
from registry.models import Body

Stage = Case.Stage
Basis = AccessLog.Basis
BASIC_FIELDS = [PacketField.NAME, PacketField.READING, PacketField.PHONE, PacketField.CATEGORIES]

CONSULTATIONS = [
    (
        "phone",
        "本人から電話。生活費のことで不安があり、今後の暮らしについて相談したいと話す。",
        "来所面談の日程を調整する",
    ),
    (
        "visit",
        "来所。これまでの経過と家族の状況を聞き取った。本人は落ち着いて話すことができた。",
        "必要な制度を整理して次回説明する",
    ),
    (
        "phone",
        "前回の説明を受けて、制度の利用を前向きに考えていると話す。体調は安定している。",
        "関係課への依頼について同意を確認する",
    ),
    ("email", "メールで近況の連絡。子どもの学校のことで心配があるとのこと。", "次回の面談で学校との連携を相談する"),
    ("visit", "来所。手続の進み具合を確認した。住まいの希望を改めて聞き取った。", "住まいの情報を集める"),
]

# (lead, day opened, stage, categories, risk, age, household, children)
CASES = [
    ("hub", 5, Stage.CLOSED, ["poverty"], "low", 54, "単身", 0),
    ("hub-2", 12, Stage.CLOSED, ["divorce", "single_parent"], "medium", 38, "子ども1人と同居", 1),
    ("hub", 20, Stage.AFTERCARE, ["dv"], "high", 41, "子ども2人と同居（転居後）", 2),
    ("hub", 30, Stage.AFTERCARE, ["poverty", "isolation"], "medium", 67, "単身", 0),
    ("hub", 40, Stage.SUPPORT, ["dv", "single_parent"], "high", 33, "子ども2人と同居", 2),
    ("hub", 48, Stage.SUPPORT, ["dv"], "urgent", 29, "夫と同居（一時保護中）", 0),
    ("hub-2", 55, Stage.SUPPORT, ["poverty", "mental_illness"], "medium", 46, "母と同居", 0),
    ("hub", 62, Stage.SUPPORT, ["foreign_nationality", "dv"], "high", 35, "夫、子ども1人と同居", 1),
    ("hub-3", 70, Stage.SUPPORT, ["sexual_violence"], "high", 22, "単身", 0),
    ("hub", 80, Stage.ASSESSMENT, ["poverty"], "medium", 58, "単身", 0),
    ("hub", 90, Stage.ASSESSMENT, ["family_breakdown", "isolation"], "medium", 19, "友人宅に滞在", 0),
    ("hub-2", 100, Stage.ASSESSMENT, ["disability"], "low", 44, "父と同居", 0),
    ("hub", 110, Stage.ASSESSMENT, ["dv"], "high", 37, "夫、子ども3人と同居", 3),
    ("hub", 120, Stage.CONSULTATION, ["divorce"], "medium", 42, "夫と同居", 0),
    ("hub-3", 130, Stage.CONSULTATION, ["poverty"], "low", 71, "単身", 0),
    ("hub", 145, Stage.CONSULTATION, ["mental_illness"], "medium", 27, "単身", 0),
    ("hub", 160, Stage.CONSULTATION, ["single_parent", "poverty"], "medium", 31, "子ども1人と同居", 1),
]
STAGE_ORDER = [Stage.CONSULTATION, Stage.ASSESSMENT, Stage.SUPPORT, Stage.AFTERCARE]


@dataclass
class Referral:
    """One referral of the demo: to which body, for which service, how far the body has answered."""

    case: int
    body: str
    service: str
    request: str
    answer: str = ""  # "", "ack" or "return"
    outcome: str = ""
    consent_fields: list[str] = field(default_factory=lambda: list(BASIC_FIELDS))


REFERRALS = [
    Referral(
        3,
        "dept-kodomo-shien",
        "child_allowance",
        "児童扶養手当の申請手続きの支援をお願いします。",
        "return",
        "申請を受け付けました。",
    ),
    Referral(
        3,
        "agency-yakuzaishikai",
        "medical",
        "服薬の見守りと相談先の案内をお願いします。",
        "return",
        "かかりつけ薬局で見守りを続けます。",
    ),
    Referral(
        4,
        "dept-korei-kaigo",
        "elderly_care",
        "介護保険の申請の相談をお願いします。",
        "return",
        "地域包括支援センターにつなぎました。",
    ),
    Referral(
        4,
        "dept-seikatsu-shien",
        "livelihood_protection",
        "生活保護の申請の相談をお願いします。",
        "return",
        "申請を受理し、保護が決定しました。",
    ),
    Referral(
        5,
        "dept-shimin",
        "resident_record",
        "住民票の写し等の交付制限（DV等支援措置）の手続きをお願いします。",
        "return",
        "支援措置を開始しました。",
    ),
    Referral(5, "dept-seikatsu-shien", "livelihood_protection", "転居に伴う生活保護の相談をお願いします。"),
    Referral(
        6,
        "agency-pref-danjo",
        "temporary_protection",
        "一時保護の受入れをお願いします。",
        "return",
        "一時保護を開始しました。",
    ),
    Referral(
        7,
        "dept-seikatsu-shien",
        "needy_support",
        "生活困窮者自立支援の相談をお願いします。",
        "return",
        "家計改善支援を始めました。",
    ),
    Referral(7, "agency-yakuzaishikai", "medical", "服薬管理の相談先の案内をお願いします。"),
    Referral(
        8, "dept-hoken-nenkin", "insurance_pension", "国民健康保険の手続きの支援をお願いします（通訳あり）。", "ack"
    ),
    Referral(
        9,
        "agency-ageo-police",
        "other",
        "被害相談への同行と今後の手続きの説明をお願いします。",
        "return",
        "被害届の相談に対応しました。",
    ),
    Referral(13, "dept-seikatsu-shien", "needy_support", "家計の相談と就労支援の案内をお願いします。", "ack"),
]
# (sender key, day, awareness, urgency, observation, outcome): outcome "open", "link:<case index>", "no_case" or ""
INFORMATION = [
    ("aoba-clinic", 148, "knows", "soon", "受診の際に腕のあざが見えた。家のことを聞くと言葉を濁した。", "open"),
    (
        "suzukake-pharmacy",
        163,
        "agrees",
        "normal",
        "薬局で生活費の不安を話していた。相談先を知りたいとのこと。",
        "open",
    ),
    ("tsunagu-npo", 170, "agrees", "soon", "居場所に来た女性が住まいを失いそうだと話している。", "open"),
    ("sora-salon", 118, "agrees", "normal", "以前から来ている女性が離婚の相談をしたいと話している。", "link:14"),
    (
        "hikari-dental",
        100,
        "unaware",
        "normal",
        "待合室で泣いている女性がいた。声をかけると大丈夫と話した。",
        "no_case",
    ),
    ("business", 174, "knows", "soon", "店頭で、夫に薬を取り上げられていると話す女性がいた。", ""),
    ("aoba-clinic", 177, "agrees", "urgent", "診察中に、家に帰るのが怖いと話した。今日中の連絡を希望。", ""),
    ("kokoro-clinic", 178, "unknown", "normal", "通院中の女性が最近ひどく疲れている様子。", ""),
]


def _case_data(world: World, row) -> dict:
    _lead, _day, _stage, categories, risk, age, household, children = row
    name, reading = world.woman()
    return {
        "name": name,
        "name_reading": reading,
        "age": age,
        "household": household,
        "children_count": children,
        "phone": world.mobile_phone(),
        "address": world.address(),
        "categories": categories,
        "risk_level": risk,
        "safe_contact_method": "携帯電話（平日の昼間）",
        "notes": "架空のケースです（デモデータ）。",
    }


def _consult(world: World, case: Case, *, by, day: datetime.date, n: int) -> None:
    method, content, next_step = CONSULTATIONS[n % len(CONSULTATIONS)]
    with world.clock(day, 10 + n % 6):
        services.consultation_record(
            case=case,
            data={"at": world.at(day, 10 + n % 6), "method": method, "content": content, "next_step": next_step},
            by=by,
        )


def build(world: World) -> dict[int, Case]:
    """Open the cases, record their work, send and answer the referrals, triage the information."""
    cases: dict[int, Case] = {}
    supervisor = world.people["supervisor"].user
    for index, row in enumerate(CASES, start=1):
        lead = world.people[row[0]].user
        opened = world.day(row[1])
        with world.clock(opened, 9, 30):
            case = services.case_open(by=lead, data=_case_data(world, row))
        cases[index] = case
        stage = row[2]
        _consult(world, case, by=lead, day=opened, n=index)
        target = STAGE_ORDER.index(stage) if stage in STAGE_ORDER else len(STAGE_ORDER) - 1
        for step in range(1, 1 + target):
            day = world.day(row[1] + 7 * step)
            _consult(world, case, by=lead, day=day, n=index + step)
            with world.clock(day, 15):
                if STAGE_ORDER[step] == Stage.ASSESSMENT:
                    services.assessment_record(
                        case=case,
                        data={
                            "needs": ["safety", "income"] if "dv" in row[3] else ["income", "daily_life"],
                            "wishes": "子どもと安心して暮らしたい" if row[7] else "自分のペースで生活を立て直したい",
                            "risk_level": row[4],
                            "risk_detail": "架空の評価（デモデータ）",
                        },
                        by=lead,
                    )
                services.case_set_stage(case=case, stage=STAGE_ORDER[step], by=lead)
        if stage == Stage.CLOSED:
            day = world.day(row[1] + 40)
            with world.clock(day, 11):
                services.case_request_closure(
                    case=case, reason="自立した生活に移行し、相談の必要がなくなったため。", by=lead
                )
            with world.clock(day, 16):
                services.case_decide_closure(case=case, approve=True, by=supervisor)
    _referrals(world, cases)
    _special_records(world, cases)
    _information(world, cases)
    return cases


def _referrals(world: World, cases: dict[int, Case]) -> None:
    staff = {
        "dept-seikatsu-shien": "department",
        "agency-yakuzaishikai": "agency",
        "dept-kodomo-shien": "kodomo",
        "dept-shimin": "shimin",
        "dept-hoken-nenkin": "nenkin",
        "agency-pref-danjo": "pref-centre",
        "agency-ageo-police": "police",
        "dept-korei-kaigo": "korei",
    }
    for n, spec in enumerate(REFERRALS):
        case = cases[spec.case]
        row = CASES[spec.case - 1]
        lead = world.people[row[0]].user
        body = Body.objects.get(code=spec.body)
        sent = world.day(row[1] + 15 + n % 3)
        with world.clock(sent, 13, n):
            item = services.plan_item_add(
                case=case,
                data={
                    "service": spec.service,
                    "responsible_body": body,
                    "detail": spec.request,
                    "due_on": sent + datetime.timedelta(days=30),
                },
                by=lead,
            )
            services.consent_record(
                case=case,
                data={
                    "body": body,
                    "items": spec.consent_fields,
                    "purpose": spec.request,
                    "given_on": sent,
                    "valid_until": sent + datetime.timedelta(days=365),
                },
                by=lead,
            )
            referral = services.referral_send(
                plan_item=item,
                to_body=body,
                fields=spec.consent_fields,
                request=spec.request,
                legal_basis="consent",
                by=lead,
                access_basis=Basis.ASSIGNMENT,
                ip="192.0.2.1",
            )
        if not spec.answer:
            continue
        answerer = world.people[staff[spec.body]].user
        with world.clock(world.day(row[1] + 17 + n % 3), 10, n):
            services.referral_acknowledge(referral=referral, by=answerer)
        if spec.answer == "return":
            with world.clock(world.day(row[1] + 24 + n % 3), 16, n):
                services.referral_return(
                    referral=referral, action_taken="窓口で対応しました。", outcome=spec.outcome, by=answerer
                )
            item.refresh_from_db()
            with world.clock(world.day(row[1] + 25 + n % 3), 9):
                services.plan_item_update(item=item, data={"status": PlanItem.Status.DONE}, by=lead)


def _special_records(world: World, cases: dict[int, Case]) -> None:
    hub = world.people["hub"].user
    # Case 5: the address protection ends in three weeks (the reminder and the supervisor's list show it).
    case = Case.objects.get(pk=cases[5].pk)
    with world.clock(world.day(CASES[4][1] + 26), 11):
        services.case_update(
            case=case,
            data={"address_protection": True, "address_protection_until": world.today + datetime.timedelta(days=21)},
            expected_version=case.version,
            by=hub,
        )
    for index, destination in [(3, "市役所 子ども支援課の窓口"), (5, "上尾市役所 市民課の窓口")]:
        day = world.day(CASES[index - 1][1] + 20)
        with world.clock(day, 13):
            services.accompaniment_record(
                case=cases[index],
                data={"on": day, "destination": destination, "outcome": "手続きを終えました。"},
                by=hub,
            )
    start = world.day(CASES[5][1] + 16)
    with world.clock(start, 17):
        services.protection_stay_record(
            case=cases[6], data={"kind": ProtectionStay.Kind.TEMPORARY_PROTECTION, "started_on": start}, by=hub
        )
    start = world.day(CASES[2][1] + 10)
    with world.clock(start, 17):
        services.protection_stay_record(
            case=cases[3],
            data={
                "kind": ProtectionStay.Kind.PRIVATE_SHELTER,
                "started_on": start,
                "ended_on": start + datetime.timedelta(days=14),
            },
            by=hub,
        )
    with world.clock(world.day(CASES[3][1] + 30), 15):
        services.follow_up_add(
            case=cases[4], data={"due_on": world.future_day(10), "purpose": "生活の様子を電話で確認する"}, by=hub
        )
    # Case 3 asks for closure: it waits on the supervisor's home.
    with world.clock(world.day(-2), 15):
        services.case_request_closure(
            case=cases[3], reason="転居先で生活が安定し、アフターケアを終えてよい状況になったため。", by=hub
        )


def _information(world: World, cases: dict[int, Case]) -> None:
    hub = world.people["hub"].user
    for n, (sender, day_offset, awareness, urgency, observation, outcome) in enumerate(INFORMATION):
        person = world.people[sender]
        day = world.day(day_offset)
        name, _reading = world.woman()
        with world.clock(day, 11, n):
            item = services.information_submit(
                by=person.user,
                body=person.body,
                data={
                    "observation": observation,
                    "situation": "架空の情報提供です（デモデータ）。",
                    "woman_name": name if awareness != "unaware" else "",
                    "awareness": awareness,
                    "urgency": urgency,
                    "safe_contact": "本人の携帯電話（平日の昼間）" if awareness == "agrees" else "",
                },
            )
        if not outcome:
            continue
        with world.clock(world.day(day_offset + 1), 14, n):
            if outcome == "open":
                case = services.information_open_case(item=item, by=hub)
                _consult(world, case, by=hub, day=world.day(day_offset + 1), n=n)
            elif outcome == "no_case":
                services.information_no_case(
                    item=item, reason="本人に相談の意向がなく、見守りを続けていただくことにした。", by=hub
                )
            else:
                services.information_link(item=item, case=cases[int(outcome.split(":")[1])], by=hub)
    assert Information.objects.filter(triage=Information.Triage.PENDING).count() >= 3
