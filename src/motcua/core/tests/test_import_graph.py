"""The dependency rule (DESIGN.md §3, ADR 0010), checked over the whole of src/motcua: an app uses only apps
of its own layer or below, the web apps never use one another, and two apps of one layer never use each other
both ways. "Uses" is a Python import (anywhere in the module, type-only ones included), a template or static
file named in Python (`render(request, "backoffice/…")`), and a template's `{% extends %}`, `{% include %}` or
`{% static %}`.

Tests, their fixtures and the browser tests are exempt: they may drive any page of any app. A new app fails
here until it is given its layer in LAYERS."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import motcua

SRC = Path(motcua.__file__).parent

# Lowest first. The site's own templates and static files (src/motcua/templates and static: the page frame
# every section extends) sit at the bottom with core; the project's wiring (settings, URLs, ASGI/WSGI, the
# command line, and the admin site's templates, which frame every app's admin) at the top.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"core", "formats", "site", "delivery", "sandbox"}),
    frozenset({"worktime"}),
    frozenset({"org"}),
    frozenset({"catalog"}),
    frozenset({"dossiers"}),
    frozenset({"printing", "stats", "alerts", "notify", "demo", "signing", "privacy", "audit", "exchange"}),
    frozenset({"api", "portal", "backoffice"}),
    frozenset({"project"}),
)
WEB = frozenset({"api", "portal", "backoffice"})
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}
# Modules at the package's root that are not an app: where the apps are put together.
PROJECT_MODULES = frozenset({"__init__", "__main__", "settings", "urls", "asgi", "wsgi"})
# The directories of templates and static files, the project's own ones belonging to "site".
ASSET_DIRS = ("templates", "static")
ADMIN_TEMPLATES = "admin/"
EXEMPT_DIRS = frozenset({"tests", "e2e"})

TEMPLATE_TAG = re.compile(r"""{%-?\s*(?:extends|include|static)\s+(["'])(?P<name>[^"']+)\1""")
TEMPLATE_SUFFIXES = (".html", ".txt", ".css", ".xml")


@dataclass(frozen=True)
class Use:
    """One reference from a file of `app` to something of `used`: `what` is the import or the template."""

    file: str
    line: int
    app: str
    what: str
    used: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.app} uses {self.used} ({self.what})"


def app_of(relative: PurePosixPath) -> str:
    """The app a path under src/motcua belongs to."""
    first = relative.parts[0]
    if len(relative.parts) == 1:
        stem = relative.stem
        return "project" if stem in PROJECT_MODULES else stem
    if first in ASSET_DIRS:
        return "project" if relative.parts[1:2] == (ADMIN_TEMPLATES.strip("/"),) else "site"
    return first


def module_name(relative: PurePosixPath) -> str:
    parts = ["motcua", *relative.with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_exempt(relative: PurePosixPath) -> bool:
    return relative.name == "conftest.py" or bool(EXEMPT_DIRS & set(relative.parts[:-1]))


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join([*base, *([node.module] if node.module else [])])


def imported(tree: ast.AST, module: str, is_package: bool) -> Iterator[tuple[int, str]]:
    """Every module of this project the tree imports, with its line; `from motcua import x` imports x."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(node, module, is_package)
            if target == "motcua":
                yield from ((node.lineno, f"motcua.{alias.name}") for alias in node.names)
            else:
                yield node.lineno, target


def app_of_module(name: str) -> str | None:
    parts = name.split(".")
    if parts[0] != "motcua" or len(parts) < 2:
        return None
    return "project" if parts[1] in PROJECT_MODULES else parts[1]


def python_uses(relative: PurePosixPath, source: str, asset_owners: Mapping[str, str]) -> list[Use]:
    """The apps a module imports and the templates or static files it names, except its own app's."""
    app = app_of(relative)
    tree = ast.parse(source, filename=str(relative))
    uses = []
    for line, name in imported(tree, module_name(relative), relative.name == "__init__.py"):
        used = app_of_module(name)
        if used is not None and used != app:
            uses.append(Use(str(relative), line, app, f"import {name}", used))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            owner = asset_owners.get(node.value)
            if owner is not None and owner != app:
                uses.append(Use(str(relative), node.lineno, app, f'"{node.value}"', owner))
    return uses


def template_uses(relative: PurePosixPath, source: str, asset_owners: Mapping[str, str]) -> list[Use]:
    """The templates and static files of other apps a template extends, includes or links (by a literal
    name)."""
    app = app_of(relative)
    uses = []
    for match in TEMPLATE_TAG.finditer(source):
        owner = asset_owners.get(match["name"])
        if owner is not None and owner != app:
            line = source.count("\n", 0, match.start()) + 1
            uses.append(Use(str(relative), line, app, match.group(0), owner))
    return uses


def rule_problems(uses: list[Use]) -> list[str]:
    """Each use that points up a layer, sideways between web apps, or both ways between apps of a layer."""
    problems = []
    for use in uses:
        for app in (use.app, use.used):
            if app not in RANK:
                problems.append(f"{use}: {app} has no layer; add it to LAYERS in {Path(__file__).name}")
        if use.app not in RANK or use.used not in RANK:
            continue
        if RANK[use.used] > RANK[use.app]:
            problems.append(f"{use}: {use.used} is a layer above {use.app}")
        elif use.app in WEB and use.used in WEB:
            problems.append(f"{use}: web apps never use one another")
    pairs = {(u.app, u.used) for u in uses}
    for use in uses:
        if (use.used, use.app) in pairs and RANK.get(use.app) == RANK.get(use.used) and use.app not in WEB:
            problems.append(f"{use}: {use.used} uses {use.app} too; apps of one layer use each other one way")
    return problems


def asset_owners(root: Path) -> dict[str, str]:
    """Each template's and static file's name and the app whose templates or static directory holds it."""
    owners: dict[str, str] = {}
    directories = [d for kind in ASSET_DIRS for d in [root / kind, *root.glob(f"*/{kind}")] if d.is_dir()]
    for directory in sorted(directories):
        for path in directory.rglob("*"):
            relative = PurePosixPath(path.relative_to(root).as_posix())
            name = path.relative_to(directory).as_posix()
            # The admin site's templates are Django's, overridden where needed: any app's admin may name them.
            if path.is_file() and not is_exempt(relative) and not name.startswith(ADMIN_TEMPLATES):
                owners.setdefault(name, app_of(relative))
    return owners


def tree_uses(root: Path) -> list[Use]:
    owners = asset_owners(root)
    uses = []
    for path in sorted(root.rglob("*")):
        relative = PurePosixPath(path.relative_to(root).as_posix())
        if not path.is_file() or is_exempt(relative):
            continue
        if path.suffix == ".py":
            uses += python_uses(relative, path.read_text(encoding="utf-8"), owners)
        elif "templates" in relative.parts and path.suffix in TEMPLATE_SUFFIXES:
            uses += template_uses(relative, path.read_text(encoding="utf-8"), owners)
    return uses


# --- the real tree -----------------------------------------------------------------------------------------


def test_every_app_of_the_project_has_a_layer():
    found = set()
    for entry in SRC.iterdir():
        inside = PurePosixPath(entry.name, "__init__.py")
        if entry.suffix == ".py" and not is_exempt(PurePosixPath(entry.name)):
            found.add(app_of(PurePosixPath(entry.name)))
        elif (
            entry.is_dir()
            and not is_exempt(inside)
            and (Path(entry, "__init__.py").exists() or entry.name in ASSET_DIRS)
        ):
            found.add(app_of(inside))
    assert "site" in found and "project" in found
    assert found - RANK.keys() == set()


def test_no_app_uses_one_above_it_or_a_sibling_web_app():
    uses = tree_uses(SRC)
    assert uses, "the scan finds the project's imports"
    assert rule_problems(uses) == []


# --- the check itself, on planted sources ------------------------------------------------------------------

OWNERS = {
    "backoffice/base.html": "backoffice",
    "portal/base.html": "portal",
    "printing/forms.css": "printing",
}


def _python(path: str, source: str) -> list[str]:
    return rule_problems(python_uses(PurePosixPath(path), source, OWNERS))


def test_an_import_from_a_web_app_into_a_domain_app_is_named_with_its_file_and_line():
    problems = _python(
        "stats/views.py", "import datetime\n\nfrom motcua.backoffice.access import staff_required\n"
    )
    assert problems == [
        "stats/views.py:3: stats uses backoffice (import motcua.backoffice.access): "
        "backoffice is a layer above stats"
    ]


def test_an_import_inside_a_function_or_of_a_whole_app_counts():
    assert _python("catalog/services.py", "def f():\n    from motcua.dossiers import models\n")
    assert _python("org/services.py", "from motcua import catalog\n")
    assert _python("worktime/calendar.py", "import motcua.org.selectors\n")


def test_a_relative_import_is_resolved_to_its_app():
    assert _python("dossiers/services/intake.py", "from ...portal import eform\n")
    assert _python("dossiers/services/intake.py", "from ..models import Dossier\n") == []


def test_web_apps_never_import_one_another():
    assert _python("backoffice/views_intake.py", "from motcua.portal.eform import bind\n") == [
        "backoffice/views_intake.py:1: backoffice uses portal (import motcua.portal.eform): "
        "web apps never use one another"
    ]
    assert _python("portal/views.py", "from motcua.api import api\n")


def test_imports_downwards_and_of_libraries_pass():
    source = (
        "from django.db import models\nfrom motcua.catalog.eform import bind\nfrom motcua.stats import x\n"
    )
    assert _python("backoffice/views.py", source) == []
    assert _python("project.py", "from motcua.backoffice import urls\n") == []


def test_a_web_apps_template_named_in_a_domain_apps_code_is_a_use():
    problems = _python("printing/views.py", 'BASE = "backoffice/base.html"\n')
    assert problems == [
        'printing/views.py:1: printing uses backoffice ("backoffice/base.html"): '
        "backoffice is a layer above printing"
    ]


def test_a_domain_template_that_extends_or_includes_a_web_template_fails():
    source = (
        '{% extends "portal/base.html" %}\n{% load i18n %}\n{% include "backoffice/base.html" with a=1 %}\n'
    )
    problems = rule_problems(template_uses(PurePosixPath("stats/templates/stats/page.html"), source, OWNERS))
    assert problems == [
        'stats/templates/stats/page.html:1: stats uses portal ({% extends "portal/base.html"): '
        "portal is a layer above stats",
        'stats/templates/stats/page.html:3: stats uses backoffice ({% include "backoffice/base.html"): '
        "backoffice is a layer above stats",
    ]
    downwards = '{% extends "printing/forms.css" %}{% extends base_template %}{% include "admin/base.html" %}'
    assert template_uses(PurePosixPath("stats/templates/stats/x.html"), downwards, OWNERS) != []
    assert (
        rule_problems(template_uses(PurePosixPath("stats/templates/stats/x.html"), downwards, OWNERS)) == []
    )


def test_two_apps_of_one_layer_may_not_use_each_other_both_ways():
    one_way = python_uses(
        PurePosixPath("stats/report.py"), "from motcua.printing.render import render_pdf\n", {}
    )
    assert rule_problems(one_way) == []
    back = python_uses(PurePosixPath("printing/forms.py"), "from motcua.stats.report import Counts\n", {})
    assert len(rule_problems(one_way + back)) == 2


def test_an_app_without_a_layer_is_named():
    problems = _python("payments/services.py", "from motcua.dossiers.models import Dossier\n")
    assert problems == [
        "payments/services.py:1: payments uses dossiers (import motcua.dossiers.models): "
        f"payments has no layer; add it to LAYERS in {Path(__file__).name}"
    ]


def test_tests_fixtures_and_browser_tests_are_exempt():
    assert is_exempt(PurePosixPath("stats/tests/test_report_page.py"))
    assert is_exempt(PurePosixPath("conftest.py"))
    assert is_exempt(PurePosixPath("e2e/test_dashboard.py"))
    assert not is_exempt(PurePosixPath("stats/report.py"))
