"""Every page carries a strict Content-Security-Policy and the other security headers (issue 10, finding 5:
today there is no Content-Security-Policy), and no template of ours has what that policy would block."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

import motcua

STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def directives(header: str) -> dict[str, str]:
    return {name: value.strip() for name, _, value in (d.strip().partition(" ") for d in header.split(";"))}


@pytest.mark.parametrize("path", ["/", "/lookup/", "/office/login/", "/admin/login/", "/api/docs"])
def test_every_page_has_a_strict_csp_and_the_security_headers(db, path):
    response = Client().get(path, follow=True)

    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    for name, value in STRICT.items():
        assert policy[name] == value, name
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


def test_the_api_docs_load_swagger_from_our_static_files(db):
    page = Client().get("/api/docs", follow=True).content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()


TEMPLATES = sorted(Path(motcua.__file__).parent.rglob("templates/**/*.html"))
# Printed documents (WeasyPrint) are never opened by a browser and may keep their <style>.
PRINTED = ("printing/_document.html", "stats/report_pdf.html")


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p).split("templates/")[-1])
def test_no_template_has_inline_script_handlers_or_styles(template):
    text = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", text)
    assert not re.search(r"\son[a-z]+\s*=", text)
    if not str(template).endswith(PRINTED):
        assert not re.search(r"<style|\sstyle\s*=", text)
