"""The demo's people and registered businesses: every business through the public application and the
secretariat's approval, as a real one would join; two applications still wait for review."""

import datetime

from django.contrib.auth import get_user_model

from ageo_network.history import save_tracked
from demo.base import MARK, POSTAL_CODE, World
from registry import services
from registry.management.commands.demo_accounts import DEMO_ACCOUNTS
from registry.models import Activity, Application, Body, Person

Role = Person.Role

# (key, business kind, name, kana, activities, in the public roster)
BUSINESSES = [
    (
        "aoba-clinic",
        "clinic",
        "あおばレディースクリニック",
        "アオバレディースクリニック",
        ["poster", "leaflet", "gatekeeper"],
        True,
    ),
    (
        "kokoro-clinic",
        "clinic",
        "こころの森メンタルクリニック",
        "ココロノモリメンタルクリニック",
        ["leaflet", "consultation"],
        True,
    ),
    ("hikari-dental", "dental", "ひかり野歯科医院", "ヒカリノシカイイン", ["poster", "leaflet"], True),
    ("suzukake-pharmacy", "pharmacy", "すずかけ薬局", "スズカケヤッキョク", ["poster", "leaflet", "gatekeeper"], True),
    ("hanamizuki-pharmacy", "pharmacy", "はなみずき調剤薬局", "ハナミズキチョウザイヤッキョク", ["leaflet"], False),
    (
        "tsunagu-npo",
        "npo",
        "特定非営利活動法人つなぐ手",
        "トクテイヒエイリカツドウホウジンツナグテ",
        ["accompany", "consultation", "gatekeeper"],
        True,
    ),
    (
        "yume-shelter",
        "shelter",
        "一般社団法人ゆめみ野ハウス",
        "イッパンシャダンホウジンユメミノハウス",
        ["shelter", "accompany"],
        False,
    ),
    (
        "sora-salon",
        "gathering",
        "そよかぜ台みんなの居場所",
        "ソヨカゼダイミンナノイバショ",
        ["gathering", "leaflet"],
        True,
    ),
    ("akebono-foodbank", "npo", "あけぼのフードパントリー", "アケボノフードパントリー", ["goods", "leaflet"], True),
    ("sazanami-salon", "shop", "美容室さざなみ", "ビヨウシツサザナミ", ["poster", "leaflet"], True),
    (
        "komorebi-clinic",
        "clinic",
        "こもれび台ファミリークリニック",
        "コモレビダイファミリークリニック",
        ["poster", "gatekeeper"],
        True,
    ),
]
PENDING = [
    (
        "kirakira-pharmacy",
        "pharmacy",
        "きらきら薬局 ゆめみ野店",
        "キラキラヤッキョク ユメミノテン",
        ["poster", "leaflet"],
    ),
    ("nozomi-npo", "npo", "NPO法人のぞみの会", "エヌピーオーホウジンノゾミノカイ", ["goods", "gathering"]),
]
# Fictitious people beside the demo accounts: (key, body code, role)
STAFF = [
    ("hub-2", "hub", Role.HUB_WORKER),
    ("hub-3", "hub", Role.HUB_WORKER),
    ("kodomo", "dept-kodomo-shien", Role.DEPARTMENT_STAFF),
    ("shimin", "dept-shimin", Role.DEPARTMENT_STAFF),
    ("nenkin", "dept-hoken-nenkin", Role.DEPARTMENT_STAFF),
    ("korei", "dept-korei-kaigo", Role.DEPARTMENT_STAFF),
    ("pref-centre", "agency-pref-danjo", Role.AGENCY_STAFF),
    ("police", "agency-ageo-police", Role.AGENCY_STAFF),
    ("shakyo", "agency-shakyo", Role.AGENCY_STAFF),
    ("secretariat-2", "dept-jinken-danjo", Role.SECRETARIAT),
]


def demo_people(world: World) -> None:
    """The demo accounts (made by demo_accounts) as the world's people, acting since before the demo begins."""
    User = get_user_model()
    first_day = world.start - datetime.timedelta(days=60)
    for username, _role, _body, _name in DEMO_ACCOUNTS:
        person = Person.objects.select_related("user", "body").get(user=User.objects.get(username=username))
        if person.started_on > first_day:
            person.started_on = first_day
            save_tracked(person, by=None, update_fields=["started_on"])
        world.people[username.removeprefix("demo-")] = person
    business = world.people["business"].body
    if business.joined_on is None or business.joined_on > first_day:
        business.joined_on = first_day
        save_tracked(business, by=None, update_fields=["joined_on"])
    world.bodies["demo-business"] = business


def _application_data(world: World, name: str, kana: str, kind: str, activities: list[str], key: str) -> dict:
    contact, contact_kana = world.woman()
    representative, _ = world.person_name()
    return {
        "name": f"{name}{MARK}",
        "name_kana": kana,
        "business_kind": kind,
        "representative": representative,
        "contact_name": contact,
        "contact_kana": contact_kana,
        "postal_code": POSTAL_CODE,
        "address": world.address(),
        "in_city": True,
        "phone": world.office_phone(),
        "email": f"{key}@example.jp",
        "activities": activities,
        "roster_consent": True,
        "roster_show_address": True,
        "roster_show_phone": True,
        "rules_accepted": True,
    }


def build(world: World) -> None:
    demo_people(world)
    for key, body_code, role in STAFF:
        world.add_person(key, body=Body.objects.get(code=body_code), role=role)
    secretariat = world.people["secretariat"]
    for i, (key, kind, name, kana, activities, roster) in enumerate(BUSINESSES):
        submitted = world.day(2 + i * 9)
        with world.clock(submitted, 9 + i % 6):
            data = _application_data(world, name, kana, kind, activities, key)
            data["roster_consent"] = roster
            application = services.application_submit(data=data, ip="192.0.2.10")
        with world.clock(world.day(5 + i * 9), 14):
            services.application_approve(application=application, by=secretariat.user)
        application.refresh_from_db()
        world.bodies[key] = application.body
        world.people[key] = application.body.people.get()
    for i, (key, kind, name, kana, activities) in enumerate(PENDING):
        with world.clock(world.day(-3 + i), 11):
            services.application_submit(
                data=_application_data(world, name, kana, kind, activities, key), ip="192.0.2.20"
            )
    assert set(Activity.values) >= {a for row in BUSINESSES for a in row[4]}
    assert Application.objects.filter(status=Application.Status.PENDING).count() >= len(PENDING)
