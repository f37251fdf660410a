from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import get_template
from django.views.decorators.http import require_GET

from cases.selectors import home_panels as case_panels
from meetings.selectors import home_panels as meeting_panels
from outreach.selectors import home_panels as outreach_panels
from registry.roles import current_person, role_of
from registry.selectors import home_panels as registry_panels


@require_GET
def home(request):
    person = current_person(request.user)
    # Each app contributes its own panels (work waiting for this person); the template only displays them.
    panels = [*case_panels(request), *registry_panels(request), *meeting_panels(request), *outreach_panels(request)]
    return render(request, "home.html", {"person": person, "role": role_of(request.user), "panels": panels})


@login_not_required
def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@login_not_required
def server_error(request):
    # No context processors: the failure may be in one of them.
    return HttpResponseServerError(get_template("500.html").render())
