"""The sandbox's page for people (`GET /_sandbox/`): what the stand-in parties hold. Everything shown comes
from requests, so every text is escaped here; only the fragments these functions build (`Html`) are not."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from django.utils.translation import gettext as _

# The page reloads itself so that a person watching the demo sees each synchronisation arrive.
REFRESH_SECONDS = 5


class Html(str):
    """A fragment already built (and escaped) by this module."""


Cell = str | Html


def text(value: object) -> Html:
    return Html(escape(str(value)))


def cell(value: Cell) -> Html:
    return value if isinstance(value, Html) else text(value)


def table(headers: Sequence[str], rows: Iterable[Sequence[Cell]], empty: str) -> Html:
    body = "".join("<tr>" + "".join(f"<td>{cell(value)}</td>" for value in row) + "</tr>" for row in rows)
    if not body:
        return Html(f"<p>{text(empty)}</p>")
    head = "".join(f"<th>{text(header)}</th>" for header in headers)
    return Html(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def ordered_list(items: Iterable[Cell]) -> Html:
    entries = "".join(f"<li>{cell(item)}</li>" for item in items)
    return Html(f"<ol>{entries}</ol>" if entries else "")


def section(title: str, *parts: Html) -> Html:
    return Html(f"<section><h2>{text(title)}</h2>{''.join(parts)}</section>")


def paragraph(content: Cell, css_class: str = "") -> Html:
    attribute = f' class="{text(css_class)}"' if css_class else ""
    return Html(f"<p{attribute}>{cell(content)}</p>")


def frame(sections: Iterable[str]) -> str:
    title = _("Sandbox of the outside parties")
    warning = _("Test environment — not the real National Public Service Portal")
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="{REFRESH_SECONDS}">'
        f'<title>{text(title)}</title><link rel="stylesheet" href="/_sandbox/page.css"></head>'
        f'<body><h1>{text(title)}</h1><p class="not-real">{text(warning)}</p>'
        f"{''.join(sections)}</body></html>"
    )
