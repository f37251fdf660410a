"""Reads that are more than a filter."""

from django.urls import reverse
from django.utils import timezone

from registry.access import can_decide_applications, can_edit_body
from registry.models import AnnualReview, Application, Body, WithdrawalRequest
from registry.roles import current_person

# The 年度替わり review runs in February and March, before staff rotate on 1 April.
REVIEW_MONTHS = (2, 3)


def review_season(today=None) -> bool:
    return (today or timezone.localdate()).month in REVIEW_MONTHS


def secretariat_waiting(today=None) -> list[dict]:
    """What waits for the secretariat, each with a count and the page where it is done (one query each)."""
    from registry.services import review_bodies, review_year

    rows = [
        {
            "label": "審査待ちの登録申請",
            "count": Application.objects.filter(status=Application.Status.PENDING).count(),
            "url": reverse("registry:application_list"),
        },
        {
            "label": "確認待ちの事業所の変更",
            "count": Body.objects.filter(needs_review=True).count(),
            "url": reverse("registry:application_list") + "#flagged",
        },
        {
            "label": "退会の申出",
            "count": WithdrawalRequest.objects.filter(processed_at__isnull=True).count(),
            "url": reverse("registry:application_list") + "#withdrawals",
        },
    ]
    if review_season(today):
        year = review_year(today)
        answered = AnnualReview.objects.filter(fiscal_year=year).values("body_id")
        rows.append(
            {
                "label": "年度替わりの確認に未回答の機関",
                "count": review_bodies().exclude(pk__in=answered).count(),
                "url": reverse("registry:annual_review_list"),
            }
        )
    return rows


def home_panels(request) -> list[dict]:
    """Panels of this app on the user's home page: each a dict with `template` (a partial under
    templates/registry/) and the context that partial displays. Computed here, never in the template."""
    from registry.services import review_year

    user = request.user
    panels = []
    if can_decide_applications(user) and can_edit_body(user):
        panels.append({"template": "registry/_home_secretariat.html", "rows": secretariat_waiting()})
    person = current_person(user)
    if person is not None and review_season():
        year = review_year()
        if not AnnualReview.objects.filter(body_id=person.body_id, fiscal_year=year).exists():
            url = reverse("registry:annual_review_answer", args=[person.body_id])
            panels.append({"template": "registry/_home_review.html", "body": person.body, "url": url})
    return panels
