"""Data for the document tests: a roster of realistic, long body names and a case long enough for many pages."""

import datetime

from django.utils import timezone

from registry.models import Body, BodyActivity
from tests.factories.registry import make_body

STEMS = ["あおば", "さくら", "ひまわり", "けやき", "みどり", "ふれあい", "こもれび", "すずらん", "つばさ", "なごみ"]
PLACES = ["上尾駅前", "西上尾", "原市", "大石", "平方", "上平", "大谷", "尾山台", "瓦葺", "春日", "緑丘", "愛宕"]
# (business kind, name pattern, kana pattern): the legal forms and lengths Japanese businesses have.
PATTERNS = [
    ("clinic", "医療法人社団{s}会 {p}レディースクリニック", "イリョウホウジンシャダン{k}カイ レディースクリニック"),
    ("clinic", "医療法人{s}会 {p}こころのクリニック", "イリョウホウジン{k}カイ ココロノクリニック"),
    ("dental", "{p}{s}歯科医院", "{k}シカイイン"),
    ("pharmacy", "株式会社{s}ファーマシー {p}薬局", "カブシキガイシャ{k}ファーマシー ヤッキョク"),
    (
        "npo",
        "特定非営利活動法人{s}女性支援ネットワーク",
        "トクテイヒエイリカツドウホウジン{k}ジョセイシエンネットワーク",
    ),
    ("shelter", "一般社団法人{s}シェルター {p}ハウス", "イッパンシャダンホウジン{k}シェルター ハウス"),
    (
        "gathering",
        "社会福祉法人{s}福祉会 {p}地域交流サロン",
        "シャカイフクシホウジン{k}フクシカイ チイキコウリュウサロン",
    ),
    ("shop", "美容室{s} {p}店", "ビヨウシツ{k} テン"),
    ("company", "{s}ホールディングス株式会社 {p}営業所", "{k}ホールディングスカブシキガイシャ エイギョウショ"),
]
ACTIVITIES = ["poster", "leaflet", "gatekeeper", "accompany", "goods", "consultation"]


def roster_business_names(n: int) -> list[tuple[str, str, str]]:
    """n distinct (business kind, name, kana); a number keeps every name and every word of it unique."""
    rows = []
    for i in range(n):
        kind, name, kana = PATTERNS[i % len(PATTERNS)]
        stem = f"{STEMS[(i // len(PATTERNS)) % len(STEMS)]}{i + 1}"
        place = f"{PLACES[i % len(PLACES)]}{i + 1}"
        rows.append((kind, name.format(s=stem, p=place), kana.format(k="アオバ")))
    return rows


def make_roster_businesses(n: int) -> list[Body]:
    bodies = []
    for i, (kind, name, kana) in enumerate(roster_business_names(n)):
        body = make_body(
            kind=Body.Kind.BUSINESS,
            business_kind=kind,
            name=name,
            name_kana=kana,
            in_city=i % 3 != 0,
            joined_on=datetime.date(2024, 4 + i % 9, 1 + i % 28),
        )
        for activity in ACTIVITIES[: 1 + i % len(ACTIVITIES)]:
            BodyActivity.objects.create(body=body, activity=activity)
        bodies.append(body)
    return bodies


def add_consultations(case, *, by, count: int, words: int = 40):
    from cases import services

    start = timezone.now() - datetime.timedelta(days=count)
    for i in range(count):
        services.consultation_record(
            case=case,
            data={
                "at": start + datetime.timedelta(days=i, hours=i % 8),
                "method": "phone",
                "content": f"相談の記録 {i} " + "経過" * words,
            },
            by=by,
        )


def prepared_file(client, url: str, callbacks) -> tuple:
    """POST `url` (a prepared download), let the worker's task run at commit, fetch the file from "my downloads".
    Returns (the file's response, its bytes)."""
    from django.urls import reverse

    from audit.models import PreparedDownload

    with callbacks(execute=True):
        asked = client.post(url)
    assert asked.status_code == 302 and asked["Location"] == reverse("audit:download_list"), asked.status_code
    download = PreparedDownload.objects.latest("id")
    assert download.is_ready, download.error
    response = client.get(reverse("audit:download_file", args=[download.uuid]))
    return response, b"".join(response.streaming_content)
