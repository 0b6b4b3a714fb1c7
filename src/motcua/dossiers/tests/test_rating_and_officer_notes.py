import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection

from motcua.conftest import act, post_json
from motcua.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from motcua.dossiers.models import DossierNote, Rating, RatingChannel
from motcua.dossiers.services.feedback import add_note, rate_dossier


def _user(name: str) -> User:
    return User.objects.get(username=name)


def _online_dossier(world) -> str:
    body = world.intake_body("citizen", channel="online", receiving_unit=world.centre.identity_code)
    response = post_json(world.client("citizen"), "/api/v1/dossiers", body)
    assert response.status_code == 201, response.content
    return response.json()["code"]


def _returned_dossier(world) -> str:
    code = _online_dossier(world)
    for username, action, fields in [
        ("counter", "accept", {}),
        ("counter", "forward", {}),
        ("leader", "issue_result", {"result_number": "12/KS"}),
        ("counter", "return_result", {"recipient_name": "Nguyễn Thị Mai"}),
    ]:
        assert act(world, username, code, action, **fields).status_code == 200, action
    return code


def test_the_applicant_rates_a_returned_dossier_once(world):
    code = _returned_dossier(world)
    rating = rate_dossier(_user("citizen"), code, "very_satisfied", "  Nhanh, chu đáo  ")
    assert (rating.score, rating.comment, rating.channel) == ("very_satisfied", "Nhanh, chu đáo", "portal")
    with pytest.raises(Conflict):
        rate_dossier(_user("citizen"), code, "dissatisfied")
    assert Rating.objects.get(dossier__code=code).score == "very_satisfied"


def test_a_dossier_still_in_process_cannot_be_rated(world):
    code = _online_dossier(world)
    with pytest.raises(Conflict):
        rate_dossier(_user("citizen"), code, "satisfied")
    assert not Rating.objects.exists()


def test_only_the_applicant_rates_on_the_portal_and_a_stranger_sees_nothing(world):
    code = _returned_dossier(world)
    with pytest.raises(NotFound):
        rate_dossier(_user("stranger"), code, "satisfied")
    with pytest.raises(PermissionDenied):
        rate_dossier(_user("counter"), code, "satisfied")
    rating = rate_dossier(_user("counter"), code, "satisfied", channel=RatingChannel.OFFICER)
    assert rating.rated_by.username == "counter"


@pytest.mark.parametrize(
    ("score", "comment", "field"),
    [("excellent", "", "score"), ("satisfied", "x" * 2001, "comment")],
)
def test_bad_ratings_name_the_field(world, score, comment, field):
    code = _returned_dossier(world)
    with pytest.raises(InvalidInput) as error:
        rate_dossier(_user("citizen"), code, score, comment)
    assert [p.field for p in error.value.errors] == [field]


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_ratings_keep_one(world):
    code = _returned_dossier(world)
    outcomes: list[str] = []

    def rate(score: str) -> None:
        try:
            rate_dossier(_user("citizen"), code, score)
            outcomes.append("rated")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=rate, args=(s,)) for s in ("satisfied", "dissatisfied")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "rated"]
    assert Rating.objects.filter(dossier__code=code).count() == 1


def test_officers_write_notes_the_applicant_cannot(world):
    code = _online_dossier(world)
    note = add_note(_user("counter"), code, " Thiếu bản sao giấy chứng sinh ")
    assert note.text == "Thiếu bản sao giấy chứng sinh" and note.author_unit_id == world.centre.pk
    with pytest.raises(PermissionDenied):
        add_note(_user("citizen"), code, "hello")
    with pytest.raises(NotFound):
        add_note(_user("other_specialist"), code, "hello")
    with pytest.raises(InvalidInput):
        add_note(_user("counter"), code, "   ")
    assert list(DossierNote.objects.values_list("text", flat=True)) == ["Thiếu bản sao giấy chứng sinh"]
