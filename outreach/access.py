"""Who may see which outreach record; every outreach view fetches through here (docs/access.md).

Every member reads the catalogue and the events; the secretariat (OUTREACH_MANAGER_ROLES) keeps the
catalogue, the stock ledger and the events; a body sees and reports on its own placements and
registers its own people. Rows are on the network side of the audit (AccessLog.Scope.NETWORK).
Registrants and gatekeepers are personal data: reading their list is logged like the roster.
"""

from audit.models import AccessLog
from audit.services import access_log, refuse
from outreach.models import Comment, Event, Material, Placement, Post, Registration, RestockRequest
from registry.roles import ALL_ROLES, OUTREACH_MANAGER_ROLES, current_person, has_role

Action = AccessLog.Action
NETWORK_SIDE = AccessLog.Scope.NETWORK


def nav_items(user) -> list[tuple[str, str]]:
    """Menu entries of this app the user may use: (url name, label)."""
    if can_manage(user):
        return [("outreach:dashboard", "啓発"), ("outreach:event_list", "行事"), ("outreach:post_list", "掲示板")]
    if has_role(user, ALL_ROLES):
        return [("outreach:my_outreach", "啓発"), ("outreach:event_list", "行事"), ("outreach:post_list", "掲示板")]
    return []


# --- predicates ------------------------------------------------------------------------------------------------


def can_manage(user) -> bool:
    """The secretariat: catalogue, stock ledger, shipments, events, attendance."""
    return has_role(user, OUTREACH_MANAGER_ROLES)


def _action(request) -> str:
    return Action.CHANGE if request.method == "POST" else Action.VIEW


def _refuse(request, *, status=404, action=None, object_type: str, object_id="") -> None:
    refuse(
        request,
        status=status,
        action=action or _action(request),
        scope=NETWORK_SIDE,
        object_type=object_type,
        object_id=str(object_id),
    )


def _allow(request, obj, *, action=None, label="") -> None:
    access_log(
        request=request,
        action=action or _action(request),
        scope=NETWORK_SIDE,
        obj=obj,
        object_label=label or str(obj.pk),
        basis=AccessLog.Basis.ROLE,
    )


def own_body(user):
    """The body the user acts for today, or None (for choice lists; pages use require_member_body)."""
    person = current_person(user)
    return person.body if person is not None else None


def _own_body_id(user) -> int | None:
    person = current_person(user)
    return person.body_id if person is not None else None


# --- pages without an object -----------------------------------------------------------------------------------


def require_manager(request, *, object_type: str, action=None) -> None:
    """A secretariat page (dashboard, new material, shipments): 403 (logged) for every other role."""
    if not can_manage(request.user):
        _refuse(request, status=403, action=action, object_type=object_type)


def require_member_body(request, *, object_type: str, action=None):
    """The body of the signed-in member (their own outreach page); 403 (logged) without a current person."""
    person = current_person(request.user)
    if person is None:
        _refuse(request, status=403, action=action, object_type=object_type)
    return person.body


def log_list(request, *, object_type: str) -> None:
    """A list of personal data (registrants, gatekeepers) was shown: one LIST row."""
    access_log(
        request=request, action=Action.LIST, scope=NETWORK_SIDE, object_type=object_type, basis=AccessLog.Basis.ROLE
    )


# --- materials -------------------------------------------------------------------------------------------------


def visible_materials(user):
    """Members see the materials being handed out; the secretariat also the retired ones."""
    if can_manage(user):
        return Material.objects.all()
    return Material.objects.filter(is_active=True)


def get_material_for_user(request, pk, *, action=None) -> Material:
    material = visible_materials(request.user).filter(pk=pk).first()
    if material is None:
        _refuse(request, action=action, object_type="outreach.material", object_id=pk)
    _allow(request, material, action=action)
    return material


def get_material_file_for_user(request, pk, field: str) -> Material:
    """Download a material's print file or thumbnail: any member; 404 (logged) when there is no such file."""
    material = visible_materials(request.user).filter(pk=pk).first()
    if material is None or not getattr(material, field):
        _refuse(request, action=Action.EXPORT, object_type="outreach.material", object_id=pk)
    _allow(request, material, action=Action.EXPORT)
    return material


def get_rw_material_for_user(request, pk) -> Material:
    """Edit a material, record a movement or a shipment: the secretariat; 403 (logged) for members."""
    material = visible_materials(request.user).filter(pk=pk).first()
    if material is None:
        _refuse(request, object_type="outreach.material", object_id=pk)
    if not can_manage(request.user):
        _refuse(request, status=403, object_type="outreach.material", object_id=pk)
    _allow(request, material)
    return material


# --- placements and restock requests ---------------------------------------------------------------------------


def visible_placements(user):
    """The secretariat sees every placement; a member those of their own body."""
    placements = Placement.objects.select_related("body", "material")
    if can_manage(user):
        return placements
    body_id = _own_body_id(user)
    return placements.filter(body_id=body_id) if body_id else placements.none()


def get_rw_placement_for_user(request, pk) -> Placement:
    """Ask for a restock, remove a placement: the body's own members and the secretariat; 404 otherwise."""
    placement = visible_placements(request.user).filter(pk=pk).first()
    if placement is None:
        _refuse(request, object_type="outreach.placement", object_id=pk)
    _allow(request, placement)
    return placement


def visible_restock_requests(user):
    requests = RestockRequest.objects.select_related("placement__body", "placement__material", "shipment")
    if can_manage(user):
        return requests
    body_id = _own_body_id(user)
    return requests.filter(placement__body_id=body_id) if body_id else requests.none()


def get_rw_restock_request_for_user(request, pk) -> RestockRequest:
    """Ship against a request: the secretariat; the requesting body may only read it (403)."""
    restock = visible_restock_requests(request.user).filter(pk=pk).first()
    if restock is None:
        _refuse(request, object_type="outreach.restockrequest", object_id=pk)
    if not can_manage(request.user):
        _refuse(request, status=403, object_type="outreach.restockrequest", object_id=pk)
    _allow(request, restock)
    return restock


# --- events and registrations ----------------------------------------------------------------------------------


def visible_events(user):
    return Event.objects.select_related("organiser", "meeting")


def can_open_meeting(user, event: Event) -> bool:
    """Whether the event page links the meeting it is held with: the meetings app's own rule for this user
    (meetings.access.meeting_level, the predicate its page helper applies), never decided here."""
    if event.meeting is None:
        return False
    from meetings.access import meeting_level

    return meeting_level(user, current_person(user), event.meeting) is not None


def get_event_for_user(request, uuid) -> Event:
    event = visible_events(request.user).filter(uuid=uuid).first()
    if event is None:
        _refuse(request, object_type="outreach.event", object_id=uuid)
    _allow(request, event)
    return event


def get_rw_event_for_user(request, uuid, *, action=None) -> Event:
    """Edit an event, take attendance: the secretariat; 403 (logged) for members."""
    event = visible_events(request.user).filter(uuid=uuid).first()
    if event is None:
        _refuse(request, action=action, object_type="outreach.event", object_id=uuid)
    if not can_manage(request.user):
        _refuse(request, status=403, action=action, object_type="outreach.event", object_id=uuid)
    _allow(request, event, action=action)
    return event


def get_public_event(request, uuid) -> Event:
    """An event open to the public, for the public form (a cancelled one shows 「中止」 there); anything else is
    404 (logged)."""
    event = Event.objects.filter(uuid=uuid, audience=Event.Audience.PUBLIC).first()
    if event is None:
        _refuse(request, object_type="outreach.event", object_id=uuid)
    _allow(request, event)
    return event


def visible_registrations(user):
    """The secretariat sees every registration; a member those of their own body (never the public's)."""
    registrations = Registration.objects.select_related("event", "body", "person__body")
    if can_manage(user):
        return registrations
    body_id = _own_body_id(user)
    return registrations.filter(body_id=body_id) if body_id else registrations.none()


def get_registration_for_user(request, uuid, *, action=None) -> Registration:
    """A registration (a name): the secretariat, or a member of the registered person's body."""
    registration = visible_registrations(request.user).filter(uuid=uuid).first()
    if registration is None:
        _refuse(request, action=action, object_type="outreach.registration", object_id=uuid)
    _allow(request, registration, action=action)
    return registration


def get_certificate_for_user(request, uuid) -> Registration:
    """The 修了証 of a registration: the secretariat, or a member of the person's body; 404 (logged) otherwise.
    A registration without a certificate number gets no row at all (the view redirects and shows nothing of
    it), so an allowed PDF row always stands for a certificate that was really produced."""
    registration = visible_registrations(request.user).filter(uuid=uuid).first()
    if registration is None:
        _refuse(request, action=Action.PDF, object_type="outreach.registration", object_id=uuid)
    if registration.certificate_serial:
        _allow(request, registration, action=Action.PDF)
    return registration


# --- the bulletin ----------------------------------------------------------------------------------------------


def visible_posts(user):
    """Members see the posts that are not hidden; the secretariat also the hidden ones."""
    posts = Post.objects.select_related("author_body", "author__person")
    return posts if can_manage(user) else posts.filter(is_hidden=False)


def get_post_for_user(request, uuid, *, action=None) -> Post:
    """Read a post, comment on it, report it: every member while it is shown; 404 (logged) otherwise."""
    post = visible_posts(request.user).filter(uuid=uuid).first()
    if post is None:
        _refuse(request, action=action, object_type="outreach.post", object_id=uuid)
    _allow(request, post, action=action)
    return post


def get_post_attachment_for_user(request, uuid) -> Post:
    post = visible_posts(request.user).filter(uuid=uuid).first()
    if post is None or not post.attachment:
        _refuse(request, action=Action.EXPORT, object_type="outreach.post", object_id=uuid)
    _allow(request, post, action=Action.EXPORT)
    return post


def get_rw_comment_for_user(request, pk) -> Comment:
    """Hide or show a comment: the secretariat; 403 (logged) for members, 404 for a comment of a hidden post."""
    comment = Comment.objects.filter(pk=pk, post__in=visible_posts(request.user)).select_related("post").first()
    if comment is None:
        _refuse(request, object_type="outreach.comment", object_id=pk)
    if not can_manage(request.user):
        _refuse(request, status=403, object_type="outreach.comment", object_id=pk)
    _allow(request, comment)
    return comment


def get_rw_post_for_user(request, uuid) -> Post:
    """Pin or hide a post: the secretariat; 403 (logged) for members, who may only read it."""
    post = visible_posts(request.user).filter(uuid=uuid).first()
    if post is None:
        _refuse(request, object_type="outreach.post", object_id=uuid)
    if not can_manage(request.user):
        _refuse(request, status=403, object_type="outreach.post", object_id=uuid)
    _allow(request, post)
    return post
