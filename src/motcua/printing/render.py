"""From a template and its context to PDF bytes, and the QR codes the forms carry."""

from __future__ import annotations

from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils import translation


def qr_data_uri(url: str) -> str:
    """An inline SVG QR code of `url`: the PDF embeds it and needs no file or network."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=0)


def render_html(template_name: str, context: dict[str, Any]) -> str:
    # The forms are Vietnamese legal documents: whatever the page's language, they print in Vietnamese.
    with translation.override("vi"):
        return render_to_string(template_name, context)


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    # Imported here: WeasyPrint takes most of a second to load, which only processes that print should pay.
    from weasyprint import HTML

    return HTML(string=render_html(template_name, context)).write_pdf()
