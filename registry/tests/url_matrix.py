from tests.permission_matrix import BUSINESS, HUB, MEMBERS, SECRETARIAT, SUPERVISOR, Row

MATRIX = {
    "registry:body_list": Row(ok=MEMBERS),
    # A business member sees only their own body: another body is 404, not 403.
    "registry:body_detail": Row(ok=[r for r in MEMBERS if r != BUSINESS], other=404, kwargs=lambda w: {"pk": w.hub.pk}),
    "registry:body_update": Row(ok=[SECRETARIAT], kwargs=lambda w: {"pk": w.hub.pk}, overrides={BUSINESS: 404}),
    "registry:roster_pdf": Row(ok=[SECRETARIAT, HUB, SUPERVISOR]),
    "registry:pledge": Row(ok=MEMBERS),
}
