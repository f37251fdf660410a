import pytest
from django.core.management import call_command

from registry.models import Body

HUB = "上尾市男女共同参画推進センター"
DEPARTMENTS = [
    "行政経営部市民税課",
    "行政経営部納税課",
    "子ども未来部子ども支援課",
    "子ども未来部子ども家庭総合支援センター",
    "子ども未来部保育課",
    "健康福祉部生活支援課",
    "健康福祉部障害福祉課",
    "健康福祉部高齢介護課",
    "健康福祉部健康増進課",
    "市民生活部市民課",
    "市民生活部市民協働推進課",
    "市民生活部保険年金課",
    "市民生活部人権男女共同参画課",
    "学校教育部学務課",
]
AGENCIES = [
    "埼玉県男女共同参画推進センター",
    "埼玉県中央児童相談所",
    "埼玉県上尾警察署",
    "上尾市民生委員・児童委員協議会連合会",
    "上尾市人権擁護委員会",
    "社会福祉法人上尾市社会福祉協議会",
    "一般社団法人上尾市医師会",
    "埼玉県北足立歯科医師会上尾支部",
    "上尾伊奈地域薬剤師会",
    "上尾市PTA連合会",
    "上尾市母子愛育会",
]


@pytest.mark.django_db
def test_fixtures_hold_the_26_bodies_with_exact_names_and_load_twice_without_duplicates():
    call_command("loaddata", "bodies", verbosity=0)
    call_command("loaddata", "bodies", verbosity=0)
    assert Body.objects.count() == 26
    assert list(Body.objects.filter(kind=Body.Kind.HUB).values_list("name", flat=True)) == [HUB]
    assert sorted(Body.objects.filter(kind=Body.Kind.DEPARTMENT).values_list("name", flat=True)) == sorted(DEPARTMENTS)
    assert sorted(Body.objects.filter(kind=Body.Kind.AGENCY).values_list("name", flat=True)) == sorted(AGENCIES)


@pytest.mark.django_db
def test_departments_keep_division_and_section_apart(bodies):
    for body in Body.objects.filter(kind=Body.Kind.DEPARTMENT):
        assert body.division.endswith("部")
        assert body.division + body.section == body.name
    hub = Body.objects.get(kind=Body.Kind.HUB)
    assert hub.alias == "上尾市配偶者暴力相談支援センター"
