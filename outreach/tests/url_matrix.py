from tests.permission_matrix import BUSINESS, MEMBERS, SECRETARIAT, Row

# The world's own business (BUSINESS) holds the placement, the restock request and the registration;
# every other member role sees them as 404, the secretariat handles them.


def _material(world, **overrides):
    from tests.factories.outreach import make_material

    return make_material(stock=100, **overrides)


def _placement(world):
    from tests.factories.outreach import make_placement

    return make_placement(body=world.business, material=_material(world))


def _restock(world):
    from tests.factories.outreach import make_restock_request

    return make_restock_request(placement=_placement(world))


def _event(world, **overrides):
    from tests.factories.outreach import make_event

    return make_event(**overrides)


def _registration(world, **overrides):
    from tests.factories.outreach import make_registration

    return make_registration(event=_event(world), body=world.business, **overrides)


def _certified(world):
    from outreach.models import Registration

    return _registration(world, status=Registration.Status.REGISTERED, attended=True, certificate_serial="GK2026-9001")


def _ship_data(world):
    return {"ship-body": world.business.pk, "ship-quantity": 5, "ship-spot": "womens_restroom"}


ONLY_SECRETARIAT = [SECRETARIAT]
OWNERS = [SECRETARIAT, BUSINESS]

MATRIX = {
    "outreach:dashboard": Row(ok=ONLY_SECRETARIAT),
    "outreach:my_outreach": Row(ok=MEMBERS),
    # The catalogue: every member reads it; the secretariat keeps it and its stock ledger.
    "outreach:material_list": Row(ok=MEMBERS),
    "outreach:material_create": Row(ok=ONLY_SECRETARIAT),
    "outreach:material_detail": Row(ok=MEMBERS, kwargs=lambda w: {"pk": _material(w).pk}),
    "outreach:material_update": Row(ok=ONLY_SECRETARIAT, kwargs=lambda w: {"pk": _material(w).pk}),
    "outreach:material_print_file": Row(ok=MEMBERS, kwargs=lambda w: {"pk": _material(w, with_files=True).pk}),
    "outreach:material_thumbnail": Row(ok=MEMBERS, kwargs=lambda w: {"pk": _material(w, with_files=True).pk}),
    "outreach:stock_movement_create": Row(
        ok=ONLY_SECRETARIAT,
        ok_status=302,
        method="post",
        kwargs=lambda w: {"pk": _material(w).pk},
        data=lambda w: {"move-kind": "received", "move-quantity": 10},
    ),
    "outreach:stock_ship": Row(
        ok=ONLY_SECRETARIAT, ok_status=302, method="post", kwargs=lambda w: {"pk": _material(w).pk}, data=_ship_data
    ),
    # Placements: the secretariat sees all, a body its own.
    "outreach:placement_list": Row(ok=MEMBERS),
    "outreach:placement_xlsx": Row(ok=MEMBERS, logged=True),
    "outreach:placements_confirm": Row(ok=MEMBERS, ok_status=302, method="post"),
    "outreach:restock_request_create": Row(
        ok=OWNERS,
        other=404,
        ok_status=302,
        method="post",
        kwargs=lambda w: {"pk": _placement(w).pk},
        data=lambda w: {"level": "low"},
    ),
    "outreach:placement_remove": Row(
        ok=OWNERS, other=404, ok_status=302, method="post", kwargs=lambda w: {"pk": _placement(w).pk}
    ),
    "outreach:restock_list": Row(ok=ONLY_SECRETARIAT),
    # The requesting body may read its request (its page) but not ship against it.
    "outreach:restock_ship": Row(
        ok=ONLY_SECRETARIAT, other=404, kwargs=lambda w: {"pk": _restock(w).pk}, overrides={BUSINESS: 403}
    ),
    # Events: every member reads and registers their own people; the secretariat runs them.
    "outreach:event_list": Row(ok=MEMBERS),
    "outreach:event_create": Row(ok=ONLY_SECRETARIAT),
    "outreach:event_detail": Row(ok=MEMBERS, kwargs=lambda w: {"uuid": _event(w).uuid}, logged=True),
    "outreach:event_update": Row(ok=ONLY_SECRETARIAT, kwargs=lambda w: {"uuid": _event(w).uuid}),
    "outreach:event_cancel": Row(ok=ONLY_SECRETARIAT, kwargs=lambda w: {"uuid": _event(w).uuid}),
    "outreach:event_register": Row(
        ok=MEMBERS,
        ok_status=302,
        method="post",
        kwargs=lambda w: {"uuid": _event(w).uuid},
        data=lambda w: {"name": "上尾 花子", "name_kana": "アゲオ ハナコ"},
    ),
    "outreach:event_attendance": Row(ok=ONLY_SECRETARIAT, kwargs=lambda w: {"uuid": _event(w).uuid}),
    "outreach:event_attendance_xlsx": Row(ok=ONLY_SECRETARIAT, kwargs=lambda w: {"uuid": _event(w).uuid}),
    "outreach:registration_cancel": Row(
        ok=OWNERS, other=404, ok_status=302, method="post", kwargs=lambda w: {"uuid": _registration(w).uuid}
    ),
    "outreach:certificate_pdf": Row(ok=OWNERS, other=404, kwargs=lambda w: {"uuid": _certified(w).uuid}),
    "outreach:gatekeeper_roster": Row(ok=MEMBERS, logged=True),
    "outreach:gatekeeper_roster_xlsx": Row(ok=MEMBERS, logged=True),
    # Public pages (printed on event flyers).
    "outreach:public_register": Row(
        ok=MEMBERS, public=True, kwargs=lambda w: {"uuid": _event(w, audience="public").uuid}, logged=True
    ),
    "outreach:public_event_list": Row(ok=MEMBERS, public=True),
    "outreach:public_done": Row(ok=MEMBERS, public=True),
    "outreach:public_cancel": Row(ok=MEMBERS, public=True, kwargs=lambda w: {"token": "no-such-token"}),
}


# --- the bulletin: every member reads, posts, comments and reports; the secretariat pins and hides ---------


def _post(world, **overrides):
    from outreach.models import Post
    from registry.system import system_user

    post = Post(
        category="news", title="研修のお知らせ", text="本文", author=system_user(), author_body=world.hub, **overrides
    )
    post.full_clean()
    post.save()
    return post


def _comment(world):
    from outreach.models import Comment
    from registry.system import system_user

    return Comment.objects.create(post=_post(world), text="c", author=system_user(), author_body=world.hub)


def _post_with_attachment(world):
    from django.core.files.base import ContentFile

    from tests.factories.outreach import TINY_PDF

    post = _post(world)
    post.attachment.save("leaflet.pdf", ContentFile(TINY_PDF), save=True)
    return post


MATRIX.update(
    {
        "outreach:post_list": Row(ok=MEMBERS),
        "outreach:post_create": Row(ok=MEMBERS),
        "outreach:digest_choice": Row(ok=MEMBERS),
        "outreach:post_detail": Row(ok=MEMBERS, kwargs=lambda w: {"uuid": _post(w).uuid}, logged=True),
        "outreach:post_attachment": Row(ok=MEMBERS, kwargs=lambda w: {"uuid": _post_with_attachment(w).uuid}),
        "outreach:comment_create": Row(
            ok=MEMBERS,
            ok_status=302,
            method="post",
            kwargs=lambda w: {"uuid": _post(w).uuid},
            data=lambda w: {"text": "参考になりました。"},
        ),
        "outreach:post_report": Row(
            ok=MEMBERS,
            ok_status=302,
            method="post",
            kwargs=lambda w: {"uuid": _post(w).uuid},
            data=lambda w: {"reason": "確認をお願いします"},
        ),
        "outreach:post_pin": Row(
            ok=ONLY_SECRETARIAT, ok_status=302, method="post", kwargs=lambda w: {"uuid": _post(w).uuid}
        ),
        "outreach:comment_hide": Row(
            ok=ONLY_SECRETARIAT, ok_status=302, method="post", kwargs=lambda w: {"pk": _comment(w).pk}
        ),
        "outreach:post_hide": Row(
            ok=ONLY_SECRETARIAT, ok_status=302, method="post", kwargs=lambda w: {"uuid": _post(w).uuid}
        ),
    }
)

MATRIX.update(
    {
        # Activity reports: each body files its own; the secretariat sees who has and reminds the rest.
        "outreach:activity_report_edit": Row(ok=MEMBERS),
        "outreach:activity_report_list": Row(ok=ONLY_SECRETARIAT),
        "outreach:activity_report_remind": Row(ok=ONLY_SECRETARIAT, ok_status=302, method="post"),
    }
)
