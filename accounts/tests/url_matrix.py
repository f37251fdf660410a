from tests.permission_matrix import AGENCY, DEPARTMENT, HUB, SECRETARIAT, SUPERVISOR, SYSADMIN, Row

TWO_FACTOR = [SECRETARIAT, HUB, SUPERVISOR, DEPARTMENT, AGENCY, SYSADMIN]

MATRIX = {
    # The matrix signs every two-factor role in verified, with a confirmed device: both pages send them on.
    # Business members need no second factor: the pages are not for them.
    "accounts:otp_setup": Row(ok=TWO_FACTOR, ok_status=302),
    "accounts:otp_verify": Row(ok=TWO_FACTOR, ok_status=302),
}
