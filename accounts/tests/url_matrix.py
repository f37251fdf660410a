from tests.permission_matrix import AGENCY, DEPARTMENT, HUB, MEMBERS, SECRETARIAT, SUPERVISOR, SYSADMIN, Row

TWO_FACTOR = [SECRETARIAT, HUB, SUPERVISOR, DEPARTMENT, AGENCY, SYSADMIN]

MATRIX = {
    # The matrix signs every two-factor role in verified, with a confirmed device: both pages send them on.
    # Business members need no second factor: the pages are not for them.
    "accounts:otp_setup": Row(ok=TWO_FACTOR, ok_status=302),
    "accounts:otp_verify": Row(ok=TWO_FACTOR, ok_status=302),
}

# Forgotten password: public pages; a signed-in member may open them too.
MATRIX.update(
    {
        "password_reset": Row(ok=MEMBERS, public=True),
        "password_reset_done": Row(ok=MEMBERS, public=True),
        # A link that is not valid shows the "link cannot be used" page, for everyone.
        "password_reset_confirm": Row(ok=MEMBERS, public=True, kwargs=lambda w: {"uidb64": "MQ", "token": "bad-token"}),
        "password_reset_complete": Row(ok=MEMBERS, public=True),
    }
)
