"""Roles × API endpoints → status, with the shared permission-table helper (core.testing): the same
table shape as the pages', each login sending its own Bearer token (anonymous: none → 401).

Placeholders: {cluster} the ICT cluster, {foreign_cluster} the outsider's; {meeting} protocol № 2 (signed),
{draft} a draft of the ICT council, {foreign_meeting} the outsider cluster's protocol; {mine} the member's
assignment, {other} another organisation's of the ICT cluster, {foreign} the outsider cluster's;
{decision}/{draft_decision}/{foreign_decision}; {plan} the approved 2023 plan, {draft_plan} a draft plan.
"""

import pytest

from core.testing import Row, cases, check, expect


def row(url, method, *statuses, data=None):
    return Row(f"{method}-{url}", url, method, expect(*statuses), data=data)


API = "/api/v1"
REPORT = {"text": "Выполнено: проведено совещание."}
#       url                                              method  secretary chair member outsider admin anonymous
TABLE = [
    row("/api/v1/openapi.json",                          "get",  200, 200, 200, 200, 200, 200),
    row("/api/v1/docs/",                                 "get",  200, 200, 200, 200, 200, 200),
    row("/api/v1/clusters/",                             "get",  200, 200, 200, 200, 200, 401),
    row("/api/v1/clusters/{cluster}/",                   "get",  200, 200, 200, 404, 200, 401),
    row("/api/v1/clusters/{foreign_cluster}/",           "get",  404, 404, 404, 200, 200, 401),
    row("/api/v1/clusters/{cluster}/organizations/",     "get",  200, 200, 200, 404, 200, 401),
    row("/api/v1/clusters/{foreign_cluster}/organizations/", "get", 404, 404, 404, 200, 200, 401),
    row("/api/v1/clusters/{cluster}/people/",            "get",  200, 200, 200, 404, 200, 401),
    row("/api/v1/clusters/{foreign_cluster}/people/",    "get",  404, 404, 404, 200, 200, 401),
    row("/api/v1/meetings/",                             "get",  200, 200, 200, 200, 200, 401),
    row("/api/v1/meetings/{meeting}/",                   "get",  200, 200, 200, 404, 200, 401),
    row("/api/v1/meetings/{draft}/",                     "get",  200, 200, 404, 404, 200, 401),
    row("/api/v1/meetings/{foreign_meeting}/",           "get",  404, 404, 404, 200, 200, 401),
    row("/api/v1/decisions/",                            "get",  200, 200, 200, 200, 200, 401),
    row("/api/v1/decisions/{decision}/",                 "get",  200, 200, 200, 404, 200, 401),
    row("/api/v1/decisions/{draft_decision}/",           "get",  200, 200, 404, 404, 200, 401),
    row("/api/v1/decisions/{foreign_decision}/",         "get",  404, 404, 404, 200, 200, 401),
    row("/api/v1/assignments/",                          "get",  200, 200, 200, 200, 200, 401),
    row("/api/v1/assignments/?scope=all",                "get",  200, 200, 200, 200, 200, 401),
    row("/api/v1/assignments/{mine}/",                   "get",  200, 200, 200, 404, 200, 401),
    row("/api/v1/assignments/{other}/",                  "get",  200, 200, 200, 404, 200, 401),
    row("/api/v1/assignments/{foreign}/",                "get",  404, 404, 404, 200, 200, 401),
    row("/api/v1/assignments/{mine}/reports/",           "get",  405, 405, 405, 405, 405, 401),
    row("/api/v1/assignments/{mine}/reports/",           "post", 403, 403, 201, 404, 403, 401, data=REPORT),
    row("/api/v1/assignments/{other}/reports/",          "post", 403, 403, 403, 404, 403, 401, data=REPORT),
    row("/api/v1/assignments/{foreign}/reports/",        "post", 404, 404, 404, 201, 403, 401, data=REPORT),
    row("/api/v1/assignments/{mine}/reports/",           "post", 403, 403, 400, 404, 403, 401, data={"text": " "}),
    row("/api/v1/plans/",                                "get",  200, 200, 200, 200, 200, 401),
    row("/api/v1/plans/{plan}/",                         "get",  200, 200, 200, 404, 200, 401),
    row("/api/v1/plans/{draft_plan}/",                   "get",  200, 200, 404, 404, 200, 401),
    row("/api/v1/meetings/{meeting}/",                   "post", 405, 405, 405, 405, 405, 401),
    row("/api/v1/plans/{plan}/",                         "post", 405, 405, 405, 405, 405, 401),
    row("/api/v1/nothing-here/",                         "get",  404, 404, 404, 404, 404, 404),
]


@pytest.mark.parametrize("row, role", cases(TABLE))
def test_permission_table(api_as, objects, row, role):
    response = check(api_as(role), row, role, objects)
    if not row.url.endswith("/docs/"):  # everything but the docs page answers JSON, errors included
        assert "json" in response["Content-Type"], response["Content-Type"]
