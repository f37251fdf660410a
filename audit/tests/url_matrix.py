from tests.permission_matrix import SECRETARIAT, SUPERVISOR, Row

AUDITORS = [SECRETARIAT, SUPERVISOR]

MATRIX = {
    "audit:accesslog_list": Row(ok=AUDITORS),
    "audit:accesslog_csv": Row(ok=AUDITORS),
    "audit:change_list": Row(ok=AUDITORS),
    "audit:signin_list": Row(ok=AUDITORS),
}
