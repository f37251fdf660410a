from tests.permission_matrix import SECRETARIAT, SUPERVISOR, Row

REPORTERS = [SECRETARIAT, SUPERVISOR]

# Every other member is 403 (a report is a page of a role, not an object outside scope); every outcome is logged.
MATRIX = {
    "reports:network_report": Row(ok=REPORTERS, logged=True),
    "reports:network_report_xlsx": Row(ok=REPORTERS, logged=True),
    "reports:network_report_pdf": Row(ok=REPORTERS, ok_status=302, method="post", logged=True),
    "reports:case_report": Row(ok=[SUPERVISOR], logged=True),
    "reports:case_report_xlsx": Row(ok=[SUPERVISOR], logged=True),
    "reports:case_report_pdf": Row(ok=[SUPERVISOR], ok_status=302, method="post", logged=True),
}
