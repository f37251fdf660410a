from django.http import HttpResponse
from django.views.decorators.http import require_GET

from registry.models import PledgeVersion


@require_GET
def baseline(request):
    """The yardstick: a signed-in page through the whole middleware stack that runs one query of its own."""
    number = PledgeVersion.objects.order_by("-number").values_list("number", flat=True).first()
    return HttpResponse(f"<!doctype html><title>baseline</title><p>{number}</p>")
