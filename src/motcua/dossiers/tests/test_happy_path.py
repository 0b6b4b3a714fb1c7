import time_machine

from motcua.conftest import act, post_json

MONDAY_9 = "2026-03-02T09:00:00+07:00"


@time_machine.travel(MONDAY_9, tick=False)
def test_counter_intake_to_returned_result(world):
    response = post_json(world.client("counter"), "/api/v1/dossiers", world.intake_body("counter"))
    assert response.status_code == 201, response.content
    dossier = response.json()
    code = dossier["code"]
    assert code == "000.00.01.H26-260302-0001"
    assert dossier["status"] == "received" and dossier["national_status"] == 2
    assert dossier["channel"] == "counter" and dossier["national_channel"] == 1
    assert dossier["due_at"] == "2026-03-05T09:00:00+07:00"
    for username, action, fields in [
        ("counter", "forward", {}),
        ("leader", "assign", {"assignee": "specialist"}),
        ("specialist", "forward", {}),
        ("leader", "forward", {}),
        ("leader", "issue_result", {"result_number": "123/KS"}),
        ("counter", "return_result", {"recipient_name": "Nguyễn Thị Mai"}),
    ]:
        response = act(world, username, code, action, **fields)
        assert response.status_code == 200, (action, response.content)
    final = response.json()
    assert final["status"] == "returned" and final["national_status"] == 10
    events = world.client("leader").get(f"/api/v1/dossiers/{code}/events").json()
    assert [e["action"] for e in events] == [
        "receive",
        "forward",
        "assign",
        "forward",
        "forward",
        "issue_result",
        "return_result",
    ]
