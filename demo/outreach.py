"""The demo's awareness work: materials with stock and placements (one running low, one restock request
open), a gatekeeper training held with certificates, events to come, bulletin posts and last year's
activity reports. Through outreach/services.py, as the secretariat and the members would do it."""

import datetime

from demo.base import World
from outreach import services
from outreach.models import Event, Material, Placement, Post, RestockRequest
from registry.models import Body

Spot = Placement.Spot

# (key, kind, title, language, received, low-stock threshold)
MATERIALS = [
    ("card-ja", Material.Kind.CARD, "相談窓口カード", Material.Language.JA, 3000, 300),
    ("card-easy", Material.Kind.CARD, "相談窓口カード（やさしい日本語）", Material.Language.JA_EASY, 1000, 100),
    ("leaflet", Material.Kind.LEAFLET, "女性のための相談窓口リーフレット", Material.Language.JA, 1200, 200),
    ("poster", Material.Kind.POSTER, "ひとりで悩まないで ポスター", Material.Language.JA, 120, 20),
    ("card-en", Material.Kind.CARD, "Consultation card for women (English)", Material.Language.EN, 300, 150),
]
# (body key, material key, quantity, spot, day)
SHIPMENTS = [
    ("business", "card-ja", 100, Spot.WOMENS_RESTROOM, 20),
    ("business", "leaflet", 50, Spot.RECEPTION, 20),
    ("aoba-clinic", "card-ja", 150, Spot.WOMENS_RESTROOM, 30),
    ("aoba-clinic", "poster", 2, Spot.WAITING, 30),
    ("suzukake-pharmacy", "card-ja", 100, Spot.WOMENS_RESTROOM, 35),
    ("suzukake-pharmacy", "card-easy", 50, Spot.RECEPTION, 35),
    ("hikari-dental", "leaflet", 60, Spot.WAITING, 50),
    ("tsunagu-npo", "card-en", 120, Spot.RECEPTION, 60),
    ("sora-salon", "card-ja", 80, Spot.WOMENS_RESTROOM, 70),
    ("sazanami-salon", "card-ja", 60, Spot.WOMENS_RESTROOM, 100),
    ("komorebi-clinic", "poster", 3, Spot.NOTICE_BOARD, 120),
    ("department", "card-ja", 200, Spot.WOMENS_RESTROOM, 40),
    ("agency", "leaflet", 300, Spot.RECEPTION, 45),
    ("tsunagu-npo", "card-en", 60, Spot.RECEPTION, 150),
]
TRAINEES = ["business", "aoba-clinic", "suzukake-pharmacy", "tsunagu-npo", "sora-salon", "komorebi-clinic", "agency"]
POSTS = [
    (
        "secretariat",
        Post.Category.NEWS,
        "相談窓口カードの追加発送について",
        "相談窓口カードの新しい版ができました。設置場所の補充が必要な事業所は、ホームの「補充を依頼」からお知らせください。",
        25,
        True,
    ),
    (
        "secretariat",
        Post.Category.EVENT,
        "ゲートキーパー研修のご案内",
        "気づき・声かけ・つなぎ・見守りの4つの役割を学ぶ研修です。修了された方には修了証をお渡しします。",
        55,
        False,
    ),
    (
        "tsunagu-npo",
        Post.Category.PRACTICE,
        "居場所での声かけの工夫",
        "お茶を出すときに、さりげなく相談窓口カードを添えるようにしています。受け取りやすいと好評です。",
        110,
        False,
    ),
    (
        "aoba-clinic",
        Post.Category.PRACTICE,
        "女性トイレへのカード設置",
        "女性トイレの個室にカードを置いたところ、月に20枚ほど減るようになりました。",
        140,
        False,
    ),
    (
        "hub",
        Post.Category.RESOURCE,
        "外国語版・やさしい日本語版のカードがあります",
        "英語版とやさしい日本語版のカードを用意しています。必要な数を事務局にお知らせください。",
        160,
        False,
    ),
]


def _materials(world: World) -> dict[str, Material]:
    secretariat = world.people["secretariat"].user
    materials = {}
    with world.clock(world.day(1), 10):
        for key, kind, title, language, received, threshold in MATERIALS:
            material = services.material_create(
                data={
                    "kind": kind,
                    "title": title,
                    "edition": world.start.year if world.start.month >= 4 else world.start.year - 1,
                    "language": language,
                    "low_stock_threshold": threshold,
                },
                by=secretariat,
            )
            services.stock_receive(material=material, quantity=received, by=secretariat, note="印刷所から納品")
            materials[key] = material
    for n, (body_key, material_key, quantity, spot, day) in enumerate(SHIPMENTS):
        body = world.bodies.get(body_key) or world.people[body_key].body
        with world.clock(world.day(day), 11, n):
            services.stock_ship(
                material=materials[material_key], body=body, quantity=quantity, spot=spot, by=secretariat
            )
    return materials


def _restock(world: World) -> None:
    person = world.people["business"]
    placement = Placement.objects.get(body=person.body, material__title="相談窓口カード", spot=Spot.WOMENS_RESTROOM)
    with world.clock(world.day(-4), 16):
        services.restock_request_create(placement=placement, level=RestockRequest.Level.LOW, by=person.user)
    clinic = world.people["aoba-clinic"]
    with world.clock(world.day(-2), 10):
        services.placements_confirm(body=clinic.body, by=clinic.user)


def _training(world: World) -> Event:
    secretariat = world.people["secretariat"].user
    organiser = Body.objects.get(code="dept-jinken-danjo")
    day = world.day(90)
    starts = world.at(day, 14)
    with world.clock(world.day(55), 10):
        event = services.event_create(
            data={
                "kind": Event.Kind.GATEKEEPER,
                "title": "ゲートキーパー研修（基礎編）",
                "starts_at": starts,
                "ends_at": starts + datetime.timedelta(hours=2),
                "place": "上尾市男女共同参画推進センター 研修室",
                "capacity": 30,
                "audience": Event.Audience.MEMBERS,
                "organiser": organiser,
                "description": "気づき・声かけ・つなぎ・見守りを、事例を使って学びます。",
            },
            by=secretariat,
        )
    registrations = []
    for n, key in enumerate(TRAINEES):
        person = world.people[key]
        with world.clock(world.day(60 + n), 11):
            registrations.append(
                services.registration_create_member(event=event, body=person.body, person=person, by=person.user)
            )
            colleague, kana = world.woman()
            registrations.append(
                services.registration_create_member(
                    event=event, body=person.body, name=colleague, name_kana=kana, by=person.user
                )
            )
    with world.clock(day, 17):
        present = {r.pk for n, r in enumerate(registrations) if n % 5 != 4}
        services.attendance_record(event=event, attended_ids=present, by=secretariat)
    return event


def _events_to_come(world: World) -> None:
    secretariat = world.people["secretariat"].user
    organiser = Body.objects.get(code="dept-jinken-danjo")
    for offset, kind, title, audience, capacity in [
        (14, Event.Kind.GATEKEEPER, "ゲートキーパー研修（応用編）", Event.Audience.MEMBERS, 30),
        (28, Event.Kind.LECTURE, "講演会「ひとりで悩まないで」", Event.Audience.PUBLIC, 100),
    ]:
        starts = world.at(world.future_day(offset), 14)
        with world.clock(world.day(-15), 10):
            services.event_create(
                data={
                    "kind": kind,
                    "title": title,
                    "starts_at": starts,
                    "ends_at": starts + datetime.timedelta(hours=2),
                    "place": "上尾市文化センター 小ホール（架空の案内）",
                    "capacity": capacity,
                    "audience": audience,
                    "organiser": organiser,
                    "description": "デモの行事です。",
                },
                by=secretariat,
            )


def _bulletin(world: World) -> None:
    for key, category, title, text, day, pinned in POSTS:
        person = world.people[key]
        with world.clock(world.day(day), 9):
            post = services.post_create(
                data={"category": category, "title": title, "text": text}, body=person.body, by=person.user
            )
            if pinned:
                services.post_pin(post=post, pinned=True, by=world.people["secretariat"].user)
    post = Post.objects.get(title="女性トイレへのカード設置")
    person = world.people["suzukake-pharmacy"]
    with world.clock(world.day(145), 12):
        services.comment_create(post=post, text="当店でも試してみます。", body=person.body, by=person.user)


def _activity_reports(world: World) -> None:
    """Last 年度's reports of a few members (the report's activity chart compares years)."""
    year = (world.today.year if world.today.month >= 4 else world.today.year - 1) - 1
    for n, key in enumerate(["business", "agency", "department", "shakyo"]):
        person = world.people[key]
        with world.clock(world.day(10 + n * 3), 10):
            services.activity_report_submit(
                body=person.body,
                fiscal_year=year,
                data={
                    "posters": 2 + n,
                    "leaflets": 100 * (n + 1),
                    "event_attendees": n + 1,
                    "gatekeepers": n % 2 + 1,
                    "text": "相談窓口カードの設置と、研修への参加を行いました。",
                },
                by=person.user,
            )


def build(world: World) -> None:
    _materials(world)
    _restock(world)
    _training(world)
    _events_to_come(world)
    _bulletin(world)
    _activity_reports(world)
