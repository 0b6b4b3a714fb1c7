"""The citizen sees who opened their dossier: when, which unit, which officer and role (Law 91/2025
transparency; issue 10). Only on their own dossier, and not their own visits. Fails before issue 10: the
page had no such section and nothing was recorded."""

from __future__ import annotations

from motcua.privacy.tests.scenes import online_dossier, signed_in


def test_the_citizen_sees_the_officer_unit_and_role_that_opened_it(world):
    code = online_dossier(world)
    signed_in("specialist").get(f"/office/dossiers/{code}/")
    signed_in("counter").get(f"/print/dossiers/{code}/receipt.pdf")
    signed_in("citizen").get(f"/print/dossiers/{code}/receipt.pdf")  # their own print is not listed

    html = signed_in("citizen").get(f"/my/dossiers/{code}/").content.decode()
    section = html[html.index('id="openings"') : html.index("</section>", html.index('id="openings"'))]

    assert "Who opened your dossier" in section
    assert "specialist" in section and "Sở Tư pháp" in section and "Specialist" in section
    assert "Opened the dossier" in section and "Printed a form of the dossier" in section
    assert "Trung tâm Phục vụ hành chính công" in section and "Counter officer" in section
    assert section.count("<tr>") == 1 + 2  # the header and the two officers' reads, not the citizen's


def test_another_citizen_sees_nothing_of_it_and_their_own_dossier_lists_no_one(world):
    code = online_dossier(world)
    signed_in("specialist").get(f"/office/dossiers/{code}/")
    theirs = online_dossier(world, "stranger", accepted=False)

    stranger = signed_in("stranger")
    assert stranger.get(f"/my/dossiers/{code}/").status_code == 404
    html = stranger.get(f"/my/dossiers/{theirs}/").content.decode()
    assert "No officer has opened your dossier yet." in html and "Sở Tư pháp" not in html
