import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case as DbCase
from django.db.models import Count, Q, StringAgg, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from accounts.forms import NewPasswordForm
from ageo_network.history import history_rows
from ageo_network.wareki import fiscal_year_label
from audit.downloads import download_response
from audit.exports import download_request
from audit.models import AccessLog, SignInEvent
from audit.services import access_log, client_ip, signin_event
from registry import services
from registry.access import (
    can_decide_applications,
    can_edit_body,
    can_view_people_of,
    can_view_roster,
    get_application_for_user,
    get_body_for_user,
    get_own_business,
    get_own_colleague_for_user,
    get_review_body_for_user,
    get_rw_application_for_user,
    get_rw_body_for_user,
    get_rw_person_for_user,
    open_application_queue,
    open_review_overview,
    rate_limited,
    require_roster_access,
    visible_bodies,
)
from registry.documents import ROSTER_PDF, roster_csv_document, roster_xlsx_document
from registry.forms import (
    AnnualReviewForm,
    ApproveForm,
    BodyFilterForm,
    BodyForm,
    BusinessProfileForm,
    ColleagueForm,
    DecisionForm,
    PeopleLimitForm,
    PersonAddForm,
    PersonEndForm,
    PersonRoleForm,
    SignupForm,
    WithdrawalRequestForm,
    WithdrawForm,
    signup_started_token,
)
from registry.models import (
    Activity,
    AnnualReview,
    Application,
    Body,
    BodyActivity,
    Person,
    PersonPledge,
    PledgeVersion,
    WithdrawalRequest,
)
from registry.roles import ROLES_BY_BODY_KIND, current_person

logger = logging.getLogger("registry")
HISTORY_ROWS = 50
BODY_PAGE_SIZE = 50
ROSTER_PAGE_SIZE = 100


def filtered_bodies(user, form):
    """The bodies the user may see, narrowed by the roster filters."""
    bodies = visible_bodies(user)
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            bodies = bodies.filter(kind=data["kind"])
        if data["status"]:
            bodies = bodies.filter(status=data["status"])
        if data["in_city"]:
            bodies = bodies.filter(in_city=data["in_city"] == "in")
        if data["activity"]:
            # A subquery, not a join: the join would also narrow the activities shown for each body.
            bodies = bodies.filter(pk__in=BodyActivity.objects.filter(activity=data["activity"]).values("body_id"))
        if data["q"]:
            bodies = bodies.filter(Q(name__icontains=data["q"]) | Q(name_kana__icontains=data["q"]))
    return bodies


def with_activity_codes(bodies):
    # Ordered in Python (fill_activity_labels), not by the aggregate: SQLite before 3.44 (the embedded demo)
    # has no ORDER BY inside group_concat, and the roster page answered 500 there.
    return bodies.annotate(activity_codes=StringAgg("activities__activity", Value(",")))


def with_activity_labels(bodies) -> list[Body]:
    """The bodies with `activity_labels` filled in by the same query (one aggregate, no query per row)."""
    return fill_activity_labels(with_activity_codes(bodies))


def fill_activity_labels(bodies) -> list[Body]:
    bodies = list(bodies)
    labels = dict(Activity.choices)
    for body in bodies:
        codes = sorted(code for code in (body.activity_codes or "").split(",") if code)
        body.activity_labels = [labels[code] for code in codes]
    return bodies


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
def body_list(request):
    """The staff roster (名簿): filters, counts per kind, former members listed apart (after the members), exports.

    Paginated: at 2,000 bodies the whole roster was 900 KB of HTML on every visit."""
    form = BodyFilterForm(request.GET or None)
    bodies = filtered_bodies(request.user, form)
    per_kind, former_count = {}, 0
    for kind, status, n in bodies.order_by().values_list("kind", "status").annotate(n=Count("pk")):
        per_kind[kind] = per_kind.get(kind, 0) + n
        former_count += n if status == Body.Status.FORMER else 0
    # 'active' sorts before 'former': members first, then the former members, across pages.
    ordered = with_activity_codes(bodies).order_by("status", "kind", "name_kana", "name", "pk")
    paginator = Paginator(ordered, BODY_PAGE_SIZE)
    paginator.count = sum(per_kind.values())  # known already: no second count
    page = paginator.get_page(request.GET.get("page"))
    rows = fill_activity_labels(page.object_list)
    labels = dict(Body.Kind.choices)
    context = {
        "form": form,
        "page": page,
        "bodies": rows,
        "total": page.paginator.count,
        "active_bodies": [b for b in rows if b.is_active],
        "former_bodies": [b for b in rows if not b.is_active],
        "former_count": former_count,
        "counts": [(labels[kind], per_kind[kind]) for kind in Body.Kind.values if per_kind.get(kind)],
        "can_pdf": can_view_roster(request.user),
        "query": _query_without_page(request),
    }
    return render(request, "registry/body_list.html", context)


@require_GET
def body_detail(request, pk):
    body = get_body_for_user(request, pk)
    history = history_rows(body, HISTORY_ROWS)
    current_people = former_people = None
    if can_view_people_of(request.user, body):
        current_people, former_people = _people_of(body)
    return render(
        request,
        "registry/body_detail.html",
        {
            "body": body,
            "history": history,
            "current_people": current_people,
            "former_people": former_people,
            "activities": list(body.activities.all()),
            "can_edit": can_edit_body(request.user),
        },
    )


def _people_of(body):
    """(current, former) people of a body, each with `awaits_activation`; one query."""
    today = timezone.localdate()
    people = list(body.people.select_related("user", "body").order_by("name_kana", "name"))
    for person in people:
        person.awaits_activation = services.person_awaits_activation(person)
    current = [p for p in people if p.is_current_on(today)]
    former = sorted((p for p in people if not p.is_current_on(today)), key=lambda p: p.left_on or today, reverse=True)
    return current, former


@require_http_methods(["GET", "POST"])
def body_update(request, pk):
    body = get_rw_body_for_user(request, pk)
    form = BodyForm(request.POST or None, instance=Body.objects.get(pk=body.pk))
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in form.changed_data}
        try:
            services.body_update(body=body, by=request.user, data=data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "構成機関の情報を更新しました。")
            return redirect(body)
    return render(request, "registry/body_form.html", {"form": form, "body": body})


@require_POST
def roster_pdf(request):
    """Queue the roster PDF (126 pages at 2,000 bodies: longer than a request may take) for "my downloads"."""
    require_roster_access(request, action=AccessLog.Action.PDF)
    access_log(
        request=request,
        action=AccessLog.Action.PDF,
        scope=AccessLog.Scope.NETWORK,
        object_type="registry.roster",
        basis=AccessLog.Basis.ROLE,
        reason="pdf",
    )
    download_request(
        request=request, kind=ROSTER_PDF, title="構成機関名簿（PDF）", params={}, scope=AccessLog.Scope.NETWORK
    )
    messages.success(request, "名簿PDFを作成しています。準備ができると、この一覧からダウンロードできます。")
    return redirect("audit:download_list")


@require_http_methods(["GET", "POST"])
def pledge(request):
    """The Art. 10 pledge page; every member page sends a person here until they accept."""
    person = current_person(request.user)
    if person is None:
        raise Http404
    version = PledgeVersion.current()
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=False):
        next_url = ""
    accepted = PersonPledge.objects.filter(person=person, version=version).first()
    error = ""
    if request.method == "POST" and accepted is None:
        if request.POST.get("agree") == "on":
            services.pledge_accept(person=person, version=version, ip=client_ip(request), by=request.user)
            messages.success(request, "守秘義務の誓約を記録しました。")
            return redirect(next_url or "home")
        error = "誓約に同意する場合はチェックを入れてください。"
    context = {"version": version, "accepted": accepted, "next": next_url, "error": error}
    return render(request, "registry/pledge_form.html", context)


# --- registered businesses ------------------------------------------------------------------------------

SIGNUP_DONE_KEY = "registry_signup_reference"
SIGNUP_RATE = (20, 3600)  # POSTs per IP per hour; override with settings.SIGNUP_RATE_LIMIT
EXPIRED_FORM_MESSAGE = "入力を始めてから時間が経ちすぎました。内容を確認して、もう一度送信してください。"


def _application_data(form) -> dict:
    return {field: form.cleaned_data[field] for field in SignupForm.Meta.fields}


def _signup_bounce_if_automated(request, form):
    """A bot gets the normal thank-you page and nothing is stored; a person with an expired form is asked again."""
    if form.looks_automated():
        logger.info("signup form dropped as automated")
        request.session.pop(SIGNUP_DONE_KEY, None)
        return redirect("registry:signup_done")
    if form.token_expired():
        form.data = form.data.copy()
        # Backdated so that sending again at once does not look like a bot.
        form.data["started"] = signup_started_token(time.time() - getattr(settings, "SIGNUP_MIN_FILL_SECONDS", 5))
        form.add_error(None, EXPIRED_FORM_MESSAGE)
    return None


@login_not_required
@rate_limited("signup", setting="SIGNUP_RATE_LIMIT", default=SIGNUP_RATE)
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    """The public signup form printed on leaflets; its URL must not change."""
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        bounce = _signup_bounce_if_automated(request, form)
        if bounce is not None:
            return bounce
        if form.is_valid():
            application = services.application_submit(data=_application_data(form), ip=client_ip(request))
            request.session[SIGNUP_DONE_KEY] = application.reference
            return redirect("registry:signup_done")
    context = {"form": form, "pledge": PledgeVersion.current(), "revising": False}
    return render(request, "registry/signup_form.html", context)


@login_not_required
@require_safe  # GET and HEAD: monitoring and link checkers ask with HEAD
def signup_done(request):
    return render(request, "registry/signup_done.html", {"reference": request.session.get(SIGNUP_DONE_KEY)})


@login_not_required
@rate_limited("signup", setting="SIGNUP_RATE_LIMIT", default=SIGNUP_RATE)
@require_http_methods(["GET", "HEAD", "POST"])
def application_revise(request, token):
    """The applicant corrects their application through the link in the secretariat's email."""
    application = services.application_for_revise_token(token)
    if application is None:
        return render(request, "registry/link_invalid.html")
    form = SignupForm(request.POST or None, instance=application)
    if request.method == "POST":
        bounce = _signup_bounce_if_automated(request, form)
        if bounce is not None:
            return bounce
        if form.is_valid():
            try:
                application = services.application_revise(
                    application=application, data=_application_data(form), ip=client_ip(request)
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                request.session[SIGNUP_DONE_KEY] = application.reference
                return redirect("registry:signup_done")
    context = {"form": form, "pledge": PledgeVersion.current(), "revising": True, "application": application}
    return render(request, "registry/signup_form.html", context)


@login_not_required
@require_safe  # GET and HEAD: monitoring and link checkers ask with HEAD
def roster_public(request):
    """Approved businesses that consented, with only the fields they chose to publish."""
    listed = Body.objects.active().filter(kind=Body.Kind.BUSINESS, roster_consent=True)
    kinds = [kind for kind, _ in Body.BusinessKind.choices]
    # In the order of the kinds (an unknown kind last), then by reading; a page at a time.
    kind_order = DbCase(*(When(business_kind=kind, then=Value(i)) for i, kind in enumerate(kinds)), default=Value(99))
    ordered = listed.prefetch_related("activities").order_by(kind_order, "name_kana", "name", "pk")
    page = Paginator(ordered, ROSTER_PAGE_SIZE).get_page(request.GET.get("page"))
    per_kind = dict(listed.order_by().values_list("business_kind").annotate(n=Count("pk")))
    labels = dict(Body.BusinessKind.choices)
    groups = []
    for body in page:
        label = labels.get(body.business_kind, "その他")
        if not groups or groups[-1][0] != label:
            groups.append((label, per_kind.get(body.business_kind, 0), []))
        groups[-1][2].append(body)
    context = {"groups": groups, "total": page.paginator.count, "page": page, "query": ""}
    return render(request, "registry/roster_public.html", context)


@method_decorator(login_not_required, name="dispatch")
class ActivateView(auth_views.PasswordResetConfirmView):
    """The one-time link emailed on approval: the new business member sets a password and is signed in."""

    template_name = "registry/activate.html"
    form_class = NewPasswordForm
    token_generator = services.activation_token
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("home")
    http_method_names = ["get", "head", "post", "options"]

    def dispatch(self, *args, **kwargs):
        # PasswordResetConfirmView answers an invalid link before View.dispatch checks the method.
        if self.request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(self.request, *args, **kwargs)
        return super().dispatch(*args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        signin_event(
            kind=SignInEvent.Kind.PASSWORD_CHANGE, request=self.request, user=user, username=user.get_username()
        )
        messages.success(self.request, "パスワードを設定しました。ようこそ、上尾市困難女性支援ネットワークへ。")
        return response


activate = ActivateView.as_view()


@require_GET
def application_list(request):
    open_application_queue(request)
    open_applications = Application.objects.filter(
        status__in=[Application.Status.PENDING, Application.Status.CHANGES_REQUESTED]
    ).order_by("submitted_at")
    decided = Application.objects.filter(
        status__in=[Application.Status.APPROVED, Application.Status.REJECTED]
    ).order_by("-decided_at")[:20]
    withdrawals = WithdrawalRequest.objects.filter(processed_at__isnull=True).select_related("body")
    flagged = Body.objects.filter(needs_review=True)
    context = {
        "open_applications": open_applications,
        "decided": decided,
        "withdrawals": withdrawals,
        "flagged": flagged,
    }
    return render(request, "registry/application_list.html", context)


def _application_detail(request, application, *, approve_form=None, changes_form=None, reject_form=None, status=200):
    context = {
        "application": application,
        "hints": services.application_duplicate_hints(application),
        "history": history_rows(application, HISTORY_ROWS),
        "can_decide": can_decide_applications(request.user) and application.is_open,
        "approve_form": approve_form or ApproveForm(),
        "changes_form": changes_form or DecisionForm(prefix="changes"),
        "reject_form": reject_form or DecisionForm(prefix="reject"),
    }
    return render(request, "registry/application_detail.html", context, status=status)


@require_GET
def application_detail(request, uuid):
    application = get_application_for_user(request, uuid)
    return _application_detail(request, application)


@require_POST
def application_approve(request, uuid):
    application = get_rw_application_for_user(request, uuid)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return _application_detail(request, application, approve_form=form, status=400)
    try:
        services.application_approve(application=application, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"申請 {application.reference} を承認し、登録事業所として名簿に載せました。")
    return redirect(application)


@require_POST
def application_request_changes(request, uuid):
    application = get_rw_application_for_user(request, uuid)
    form = DecisionForm(request.POST, prefix="changes")
    if not form.is_valid():
        return _application_detail(request, application, changes_form=form, status=400)
    try:
        services.application_request_changes(
            application=application, reason=form.cleaned_data["reason"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"申請 {application.reference} の修正を申請者に依頼しました。")
    return redirect(application)


@require_POST
def application_reject(request, uuid):
    application = get_rw_application_for_user(request, uuid)
    form = DecisionForm(request.POST, prefix="reject")
    if not form.is_valid():
        return _application_detail(request, application, reject_form=form, status=400)
    try:
        services.application_reject(application=application, reason=form.cleaned_data["reason"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"申請 {application.reference} を却下し、理由を申請者に送りました。")
    return redirect(application)


@require_http_methods(["GET", "POST"])
def body_withdraw(request, pk):
    body = get_rw_body_for_user(request, pk)
    open_request = body.withdrawal_requests.filter(processed_at__isnull=True).first()
    initial = {"left_on": open_request.wished_on} if open_request and open_request.wished_on else {}
    form = WithdrawForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.body_withdraw(
                body=body, left_on=form.cleaned_data["left_on"], reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{body.name} の退会を処理しました。担当者のアカウントは停止されました。")
            return redirect(body)
    context = {"form": form, "body": body, "open_request": open_request}
    return render(request, "registry/body_withdraw.html", context)


@require_POST
def person_activation_resend(request, pk):
    person = get_rw_person_for_user(request, pk)
    try:
        services.person_activation_send(person=person, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "パスワード設定のリンクを送り直しました。")
    return redirect(person.body)


@require_POST
def body_review_clear(request, pk):
    body = get_rw_body_for_user(request, pk)
    services.body_review_clear(body=body, by=request.user)
    messages.success(request, "変更内容を確認済みにしました。")
    return redirect(body)


@require_GET
def business_home(request):
    """A business member's page: their body, its pledges and Art. 10 records, and the way out."""
    body = get_own_business(request)
    context = {
        "body": body,
        "activities": list(body.activities.all()),
        "body_pledges": body.pledges.select_related("version"),
        "person_pledges": current_person(request.user).pledges.select_related("version"),
        "open_request": body.withdrawal_requests.filter(processed_at__isnull=True).first(),
        "history": history_rows(body, HISTORY_ROWS),
    }
    context["current_people"], context["former_people"] = _people_of(body)
    context["can_add_colleague"] = len(context["current_people"]) < body.people_limit
    return render(request, "registry/business_home.html", context)


@require_http_methods(["GET", "POST"])
def business_profile(request):
    body = get_own_business(request)
    form = BusinessProfileForm(request.POST or None, instance=Body.objects.get(pk=body.pk))
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in BusinessProfileForm.Meta.fields}
        try:
            body = services.business_profile_update(
                body=body, data=data, activities=form.cleaned_data["activities"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            note = "名称・所在地の変更は事務局が確認します。" if body.needs_review else ""
            messages.success(request, f"事業所の情報を更新しました。{note}")
            return redirect("registry:business_home")
    return render(request, "registry/business_profile_form.html", {"form": form, "body": body})


@require_http_methods(["GET", "POST"])
def business_withdraw_request(request):
    body = get_own_business(request)
    form = WithdrawalRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdrawal_request_create(
                body=body, wished_on=form.cleaned_data["wished_on"], reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "退会の申出を受け付けました。事務局からの連絡をお待ちください。")
            return redirect("registry:business_home")
    return render(request, "registry/business_withdraw_form.html", {"form": form, "body": body})


# --- staff roster exports ---------------------------------------------------------------------------------


def _roster_export(request, fmt: str):
    require_roster_access(request, action=AccessLog.Action.EXPORT)
    form = BodyFilterForm(request.GET or None)
    bodies = with_activity_labels(filtered_bodies(request.user, form))
    build = roster_xlsx_document if fmt == "xlsx" else roster_csv_document
    return download_response(
        request,
        build(bodies, today=timezone.localdate()),
        action=AccessLog.Action.EXPORT,
        scope=AccessLog.Scope.NETWORK,
        object_type="registry.roster",
        object_label=str(len(bodies)),
        basis=AccessLog.Basis.ROLE,
        reason=fmt,
    )


@require_GET
def roster_xlsx(request):
    return _roster_export(request, "xlsx")


@require_GET
def roster_csv(request):
    return _roster_export(request, "csv")


# --- people of the bodies (人事異動) ---------------------------------------------------------------------------


def _messages_error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@require_http_methods(["GET", "POST"])
def person_add(request, pk):
    """The secretariat adds a person to a body; they get a set-password mail."""
    body = get_rw_body_for_user(request, pk)
    form = PersonAddForm(request.POST or None, roles=ROLES_BY_BODY_KIND.get(body.kind, []))
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_add(body=body, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{person.name}さんを追加し、パスワード設定のリンクをメールで送りました。")
            return redirect(body)
    return render(request, "registry/person_form.html", {"form": form, "body": body, "title": "担当者を追加"})


@require_http_methods(["GET", "POST"])
def person_role_change(request, pk):
    person = get_rw_person_for_user(request, pk)
    roles = [r for r in ROLES_BY_BODY_KIND.get(person.body.kind, []) if r != person.role]
    form = PersonRoleForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_role_change(person=person, role=form.cleaned_data["role"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{person.name}さんの役割を変更しました。")
            return redirect(person.body)
    context = {"form": form, "body": person.body, "person": person, "title": f"{person.name}さんの役割の変更"}
    return render(request, "registry/person_form.html", context)


@require_http_methods(["GET", "POST"])
def person_end(request, pk):
    """The end of a person's membership on a date; they and their records stay (Art. 10 binds them still)."""
    person = get_rw_person_for_user(request, pk)
    form = PersonEndForm(request.POST or None, initial={"left_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.person_end(person=person, left_on=form.cleaned_data["left_on"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{person.name}さんの担当を終了しました。")
            return redirect(person.body)
    context = {"form": form, "body": person.body, "person": person, "title": f"{person.name}さんの担当の終了"}
    return render(request, "registry/person_form.html", context)


@require_http_methods(["GET", "POST"])
def body_people_limit(request, pk):
    body = get_rw_body_for_user(request, pk)
    form = PeopleLimitForm(request.POST or None, initial={"people_limit": body.people_limit})
    if request.method == "POST" and form.is_valid():
        try:
            services.people_limit_set(body=body, limit=form.cleaned_data["people_limit"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "担当者の上限を変更しました。")
            return redirect(body)
    return render(request, "registry/person_form.html", {"form": form, "body": body, "title": "担当者の上限"})


@require_http_methods(["GET", "POST"])
def colleague_add(request):
    """A registered business invites a colleague (up to the number the secretariat set)."""
    body = get_own_business(request)
    form = ColleagueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.colleague_invite(body=body, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{person.name}さんを追加し、パスワード設定のリンクをメールで送りました。")
            return redirect("registry:business_home")
    return render(request, "registry/person_form.html", {"form": form, "body": body, "title": "担当者を追加"})


@require_POST
def colleague_end(request, pk):
    person = get_own_colleague_for_user(request, pk)
    try:
        services.colleague_end(person=person, by=request.user)
    except ValidationError as error:
        _messages_error(request, error)
    else:
        messages.success(request, f"{person.name}さんの担当を終了しました。")
    return redirect("registry:business_home")


@require_GET
def annual_review_list(request):
    """The secretariat's view of the 年度替わり review: who has answered, who has not."""
    open_review_overview(request)
    year = services.review_year()
    answers = {r.body_id: r for r in AnnualReview.objects.filter(fiscal_year=year).select_related("answered_by")}
    bodies = list(services.review_bodies())
    rows = [(body, answers.get(body.pk)) for body in bodies]
    context = {
        "year": year,
        "year_label": fiscal_year_label(services.review_leaving_day(year)),
        "waiting": [body for body, answer in rows if answer is None],
        "answered": [(body, answer) for body, answer in rows if answer is not None],
    }
    return render(request, "registry/annual_review_list.html", context)


@require_POST
def annual_review_remind(request):
    open_review_overview(request)
    count = services.annual_review_remind(year=services.review_year(), by=request.user)
    messages.success(request, f"未回答の{count}機関の担当者に確認のお願いをメールで送りました。")
    return redirect("registry:annual_review_list")


@require_http_methods(["GET", "POST"])
def annual_review_answer(request, pk):
    """A body's 年度替わり answer: for each current person, continues or leaves on 31 March."""
    body = get_review_body_for_user(request, pk)
    year = services.review_year()
    answer = AnnualReview.objects.filter(body=body, fiscal_year=year).first()
    people = list(Person.objects.current().filter(body=body).order_by("name_kana", "name"))
    form = AnnualReviewForm(request.POST or None, people=people)
    if answer is None and request.method == "POST" and form.is_valid():
        try:
            services.annual_review_answer(body=body, year=year, continuing=form.continuing(), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "年度替わりの確認に回答しました。ありがとうございました。")
            return redirect("registry:annual_review_answer", pk=body.pk)
    context = {
        "body": body,
        "form": form,
        "answer": answer,
        "entries": answer.entries.select_related("person") if answer else [],
        "year_label": fiscal_year_label(services.review_leaving_day(year)),
        "leaving_day": services.review_leaving_day(year),
    }
    return render(request, "registry/annual_review_answer.html", context)
