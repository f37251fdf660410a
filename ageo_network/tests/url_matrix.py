from tests.permission_matrix import MEMBERS, Row

MATRIX = {
    "home": Row(ok=MEMBERS),
    "login": Row(ok=MEMBERS, public=True),
    "password_change": Row(ok=MEMBERS),
    "password_change_done": Row(ok=MEMBERS),
    # Logging out is a POST; GET is refused.
    "logout": Row(ok=[], other=405),
    # The admin's password link leads to the logged password change page.
    "admin_password_change": Row(ok=MEMBERS, ok_status=302),
}
