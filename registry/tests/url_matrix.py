from tests.permission_matrix import BUSINESS, DEPARTMENT, HUB, MEMBERS, SECRETARIAT, SUPERVISOR, Row

MATRIX = {
    "registry:body_list": Row(ok=MEMBERS),
    # A business member sees only their own body: another body is 404, not 403.
    "registry:body_detail": Row(ok=[r for r in MEMBERS if r != BUSINESS], other=404, kwargs=lambda w: {"pk": w.hub.pk}),
    "registry:body_update": Row(ok=[SECRETARIAT], kwargs=lambda w: {"pk": w.hub.pk}, overrides={BUSINESS: 404}),
    "registry:roster_pdf": Row(ok=[SECRETARIAT, HUB, SUPERVISOR], method="post", ok_status=302),
    "registry:pledge": Row(ok=MEMBERS),
}

# --- registered businesses (issue 4) ---------------------------------------------------------------------


def _application(world, **overrides):
    from tests.factories.registry import make_application

    return make_application(**overrides)


def _awaiting_person(world):
    from tests.factories.registry import make_person, make_user

    user = make_user(email="waiting@example.jp")
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return make_person(body=world.other_business, user=user)


def _revise_kwargs(world):
    from registry.models import Application
    from registry.services import revise_token

    return {"token": revise_token(_application(world, status=Application.Status.CHANGES_REQUESTED))}


MATRIX.update(
    {
        # Public pages (leaflets and QR codes point here). Signed-in members see them too.
        "registry:signup": Row(ok=MEMBERS, public=True),
        "registry:signup_done": Row(ok=MEMBERS, public=True),
        "registry:application_revise": Row(ok=MEMBERS, public=True, kwargs=_revise_kwargs),
        "registry:roster_public": Row(ok=MEMBERS, public=True),
        # A link that is not valid shows the "link cannot be used" page, for everyone.
        "registry:activate": Row(ok=MEMBERS, public=True, kwargs=lambda w: {"uidb64": "MQ", "token": "bad-token"}),
        # The secretariat's queue: other roles are refused; a single application is 404 to them.
        "registry:application_list": Row(ok=[SECRETARIAT]),
        "registry:application_detail": Row(
            ok=[SECRETARIAT], other=404, kwargs=lambda w: {"uuid": _application(w).uuid}
        ),
        "registry:application_approve": Row(
            ok=[SECRETARIAT],
            other=404,
            ok_status=302,
            method="post",
            kwargs=lambda w: {"uuid": _application(w).uuid},
            data=lambda w: {"confirmed": "on"},
        ),
        "registry:application_request_changes": Row(
            ok=[SECRETARIAT],
            other=404,
            ok_status=302,
            method="post",
            kwargs=lambda w: {"uuid": _application(w).uuid},
            data=lambda w: {"changes-reason": "所在地の番地をご確認ください。"},
        ),
        "registry:application_reject": Row(
            ok=[SECRETARIAT],
            other=404,
            ok_status=302,
            method="post",
            kwargs=lambda w: {"uuid": _application(w).uuid},
            data=lambda w: {"reject-reason": "趣旨に合わないため。"},
        ),
        # Withdrawal is the secretariat's; read-only staff get 403, a business member another body's 404.
        "registry:body_withdraw": Row(
            ok=[SECRETARIAT], kwargs=lambda w: {"pk": w.other_business.pk}, overrides={BUSINESS: 404}
        ),
        "registry:body_review_clear": Row(
            ok=[SECRETARIAT],
            ok_status=302,
            method="post",
            kwargs=lambda w: {"pk": w.other_business.pk},
            overrides={BUSINESS: 404},
        ),
        # Resending a password-set link: the secretariat's; a person already signed in gets a message, not a link.
        "registry:person_activation_resend": Row(
            ok=[SECRETARIAT],
            ok_status=302,
            method="post",
            kwargs=lambda w: {"pk": _awaiting_person(w).pk},
            overrides={BUSINESS: 404},
        ),
        "registry:roster_xlsx": Row(ok=[SECRETARIAT, HUB, SUPERVISOR]),
        "registry:roster_csv": Row(ok=[SECRETARIAT, HUB, SUPERVISOR]),
        # A business member's own pages; every other role is refused.
        "registry:business_home": Row(ok=[BUSINESS]),
        "registry:business_profile": Row(ok=[BUSINESS]),
        "registry:business_withdraw_request": Row(ok=[BUSINESS]),
    }
)

# --- people of the bodies and the 年度替わり review (issue 9) ------------------------------------------------


def _person_of(body):
    from tests.factories.registry import make_person

    return make_person(role="department_staff" if body.kind == "department" else "business_member", body=body)


MATRIX.update(
    {
        "registry:person_add": Row(
            ok=[SECRETARIAT], kwargs=lambda w: {"pk": w.department.pk}, overrides={BUSINESS: 404}
        ),
        "registry:body_people_limit": Row(
            ok=[SECRETARIAT], kwargs=lambda w: {"pk": w.other_business.pk}, overrides={BUSINESS: 404}
        ),
        "registry:person_role_change": Row(
            ok=[SECRETARIAT], kwargs=lambda w: {"pk": _person_of(w.department).pk}, overrides={BUSINESS: 404}
        ),
        "registry:person_end": Row(
            ok=[SECRETARIAT], kwargs=lambda w: {"pk": _person_of(w.department).pk}, overrides={BUSINESS: 404}
        ),
        # A business's own colleagues: the business member's pages only.
        "registry:colleague_add": Row(ok=[BUSINESS]),
        "registry:colleague_end": Row(
            ok=[BUSINESS], ok_status=302, method="post", kwargs=lambda w: {"pk": _person_of(w.business).pk}
        ),
        # The review: the secretariat's overview; a body's answer for its own people and the secretariat.
        "registry:annual_review_list": Row(ok=[SECRETARIAT]),
        "registry:annual_review_remind": Row(ok=[SECRETARIAT], ok_status=302, method="post"),
        "registry:annual_review_answer": Row(
            ok=[SECRETARIAT, DEPARTMENT], other=404, kwargs=lambda w: {"pk": w.department.pk}
        ),
    }
)
