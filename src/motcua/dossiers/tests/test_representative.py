import pytest

from motcua.conftest import post_json

REPRESENTATIVE = {
    "full_name": "Trần Văn Bình",
    "id_number": "001085000111",
    "authorisation": "Giấy ủy quyền 12",
}


def test_a_representative_is_kept_with_the_dossier(world):
    body = world.intake_body("counter", representative=REPRESENTATIVE)
    response = post_json(world.client("counter"), "/api/v1/dossiers", body)
    assert response.status_code == 201, response.content
    kept = response.json()["applicant"]["representative"]
    assert kept["full_name"] == "Trần Văn Bình" and kept["authorisation"] == "Giấy ủy quyền 12"


@pytest.mark.parametrize(
    ("representative", "field"),
    [
        ({**REPRESENTATIVE, "id_number": "999085000111"}, "representative.id_number"),
        ({"id_number": "001085000111"}, "representative.full_name"),
        ({**REPRESENTATIVE, "share": 1}, "representative.share"),
    ],
)
def test_a_bad_representative_is_422_naming_the_field(world, representative, field):
    body = world.intake_body("counter", representative=representative)
    response = post_json(world.client("counter"), "/api/v1/dossiers", body)
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["errors"]]
