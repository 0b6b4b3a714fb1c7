"""The form of every lifecycle action, derived from the lifecycle table.

`lifecycle.ACTIONS[...]` says which fields an action requires and which it accepts; this module is the one
place that says how each field is drawn (widget, label, choices) and how its posted value becomes the payload
of `take_action`. A new action in the table appears on the dossier page without a template of its own; a new
field needs one entry in FIELDS.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.widgets import Kind, described_by, input_type
from motcua.core.errors import DomainError, FieldProblem
from motcua.dossiers.lifecycle import ACTIONS, Action, ActionName
from motcua.dossiers.models import Dossier, UploadedFile
from motcua.dossiers.services.files import store_upload
from motcua.org.models import Agency, StaffRole

# Refusing, stopping and withdrawing end the dossier for good: the officer ticks a box to confirm.
DESTRUCTIVE = frozenset({ActionName.REFUSE, ActionName.STOP, ActionName.WITHDRAW})
# Every action records an optional note in the dossier's history (the API takes `note` with any action).
NOTE = "note"
CONFIRM = "confirm"
# A form never grows beyond this many rows, whatever a tampered row count says.
MAX_ROWS = 50
BLANK_ROWS = 2
_AMOUNT_RE = re.compile(r"^\d{1,3}(?:[.,\s]\d{3})+$|^\d+$")


@dataclass
class Widget:
    """One input as the templates draw it, with its label, help and errors tied to it."""

    html_id: str
    name: str
    label: Any
    kind: str = Kind.TEXT
    value: Any = ""
    required: bool = False
    help: Any = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    stored: UploadedFile | None = None  # the upload kept from an earlier post of this form
    sr_suffix: str = ""  # read after the label by screen readers only, e.g. which row of a repeated group
    autocomplete: str = ""

    @property
    def input_type(self) -> str:
        return input_type(self.kind)

    @property
    def describedby(self) -> str:
        return described_by(self.html_id, bool(self.help), bool(self.errors))


@dataclass
class Rows:
    """A repeatable group of inputs (the items of a supplement request, the files of a supplement)."""

    html_id: str
    name: str
    label: Any
    rows: list[list[Widget]]
    required: bool = False
    help: Any = ""
    errors: list[str] = field(default_factory=list)
    kind: str = "rows"

    @property
    def describedby(self) -> str:
        return described_by(self.html_id, bool(self.help), bool(self.errors))


Choices = Callable[[Dossier], list[tuple[str, str]]]


@dataclass(frozen=True)
class Column:
    name: str
    label: Promise
    kind: str = Kind.TEXT
    choices: Choices | None = None


@dataclass(frozen=True)
class FieldSpec:
    kind: str
    label: Promise
    help: Promise | str = ""
    choices: Choices | None = None
    initial: Callable[[Dossier], str] | None = None
    columns: tuple[Column, ...] = ()


def _officers_of_current_unit(dossier: Dossier) -> list[tuple[str, str]]:
    roles: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    held = (
        StaffRole.objects.filter(agency_id=dossier.current_unit_id, user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )
    for staff_role in held:
        user = staff_role.user
        names[user.username] = user.get_full_name() or user.username
        roles.setdefault(user.username, []).append(str(staff_role.get_role_display()))
    return [(username, f"{names[username]} · {', '.join(roles[username])}") for username in names]


def _other_units(dossier: Dossier) -> list[tuple[str, str]]:
    today = timezone.localdate()
    units = (
        Agency.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .exclude(pk=dossier.current_unit_id)
        .order_by("identity_code")
    )
    return [(unit.identity_code, f"{unit.name} ({unit.identity_code})") for unit in units]


def _required_documents(dossier: Dossier) -> list[tuple[str, str]]:
    return [(str(document.pk), document.name) for document in dossier.case.documents.order_by("order", "id")]


FIELDS: dict[str, FieldSpec] = {
    "reason": FieldSpec(Kind.TEXTAREA, gettext_lazy("Reason")),
    NOTE: FieldSpec(
        Kind.TEXTAREA, gettext_lazy("Note"), gettext_lazy("Kept in the dossier's history with this step.")
    ),
    "items": FieldSpec(
        Kind.ITEMS,
        gettext_lazy("Documents to add or correct"),
        gettext_lazy("One row per document; leave the rows you do not need empty."),
        columns=(
            Column("description", gettext_lazy("Document")),
            Column("requirement", gettext_lazy("What is needed (original, certified copy, correction…)")),
        ),
    ),
    "assignee": FieldSpec(Kind.SELECT, gettext_lazy("Officer"), choices=_officers_of_current_unit),
    "to_unit": FieldSpec(Kind.SELECT, gettext_lazy("Unit"), choices=_other_units),
    "amount": FieldSpec(
        Kind.AMOUNT, gettext_lazy("Amount in đồng"), gettext_lazy("A whole number of đồng, e.g. 50000.")
    ),
    "new_appointment": FieldSpec(
        Kind.DATETIME,
        gettext_lazy("New appointment date and time"),
        gettext_lazy("Later than the present due date."),
    ),
    "result_number": FieldSpec(Kind.TEXT, gettext_lazy("Result number")),
    "result_file": FieldSpec(
        Kind.FILE, gettext_lazy("Signed result file"), gettext_lazy("PDF or a scanned image.")
    ),
    "recipient_name": FieldSpec(
        Kind.TEXT, gettext_lazy("Name of the person collecting"), initial=lambda d: d.applicant_name
    ),
    "recipient_id_number": FieldSpec(
        Kind.TEXT,
        gettext_lazy("ID number of the person collecting"),
        initial=lambda d: d.applicant_id_number,
    ),
    "waybill_number": FieldSpec(Kind.TEXT, gettext_lazy("Waybill number")),
    "receipt_number": FieldSpec(Kind.TEXT, gettext_lazy("Fee receipt number")),
    "documents": FieldSpec(
        Kind.DOCUMENTS,
        gettext_lazy("Supplemented documents"),
        gettext_lazy("One row per file received; leave the rows you do not need empty."),
        columns=(
            Column("requirement", gettext_lazy("Required document"), Kind.SELECT, _required_documents),
            Column("file", gettext_lazy("File"), Kind.FILE),
        ),
    ),
}
if _without_widget := {f.name for a in ACTIONS.values() for f in a.fields} - FIELDS.keys():
    raise ImproperlyConfigured(
        f"Fields of the lifecycle without a widget: {', '.join(sorted(_without_widget))}."
    )


def fields_of(action: Action, dossier: Dossier) -> list[tuple[str, bool]]:
    """The fields the action's form shows for this dossier, each with whether it must be filled in: those the
    lifecycle table asks of it, and the note."""
    fields = [(f.name, f.required) for f in action.fields_for(dossier)]
    return fields if NOTE in dict(fields) else [*fields, (NOTE, False)]


# --- reading a posted form ---------------------------------------------------------------------------------


@dataclass
class Submission:
    """What the user posted to one action's form: the payload for the service and the values to show again."""

    action: Action
    version: int | None
    payload: dict[str, Any]
    values: dict[str, Any]
    problems: list[FieldProblem]
    confirmed: bool = False
    adding_row: str = ""  # the repeatable field the user asked one more row for, instead of submitting
    blank_rows: dict[str, int] = field(default_factory=dict)  # empty rows to draw again, per repeatable field


def remembered_upload(request: HttpRequest, name: str, problems: list[FieldProblem]) -> int | None:
    """The file posted in `name`, stored now; else the one stored by an earlier post of the same form.

    A page drawn again after an error cannot fill a file input back in, so it carries the id of the stored
    upload instead; the services accept only uploads of the same user."""
    upload = request.FILES.get(name)
    if upload is not None:
        try:
            return store_upload(request.user, upload).pk  # type: ignore[arg-type]
        except DomainError as error:
            messages = [p.message for p in error.errors] or [str(error.detail)]
            problems.extend(FieldProblem(name, "upload", message) for message in messages)
            return None
    kept = request.POST.get(f"{name}-stored", "")
    return int(kept) if kept.isdigit() else None


def _row_count(request: HttpRequest, name: str) -> int:
    raw = request.POST.get(f"{name}-count", "")
    return min(int(raw), MAX_ROWS) if raw.isdigit() else 0


def _read_items(request: HttpRequest, name: str) -> list[dict[str, str]]:
    rows = []
    for index in range(_row_count(request, name)):
        row = {c: request.POST.get(f"{name}-{index}-{c}", "").strip() for c in ("description", "requirement")}
        if any(row.values()):
            rows.append(row)
    return rows


def _read_documents(
    request: HttpRequest, name: str, problems: list[FieldProblem]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows as shown again (requirement text, stored file id) and as the service takes them."""
    shown, payload = [], []
    for index in range(_row_count(request, name)):
        requirement = request.POST.get(f"{name}-{index}-requirement", "")
        file_id = remembered_upload(request, f"{name}-{index}-file", problems)
        if file_id is None and not requirement:
            continue
        shown.append({"requirement": requirement, "file": file_id})
        if file_id is not None:
            payload.append(
                {"requirement": int(requirement) if requirement.isdigit() else None, "file": file_id}
            )
    return shown, payload


def parse_amount(raw: str) -> int | None:
    """A whole number of đồng as people type it: 50000, 50.000 or 50 000."""
    raw = raw.strip()
    return int(re.sub(r"[.,\s]", "", raw)) if _AMOUNT_RE.match(raw) else None


def _blank(value: Any) -> bool:
    return value in (None, "", [])


def read(action: Action, dossier: Dossier, request: HttpRequest) -> Submission:
    version = request.POST.get("version", "")
    submission = Submission(
        action,
        int(version) if version.isdigit() else None,
        payload={},
        values={},
        problems=[],
        confirmed=request.POST.get(CONFIRM) == "yes",
        adding_row=request.POST.get("add_row", ""),
    )
    for name, required in fields_of(action, dossier):
        kind = FIELDS[name].kind
        shown: Any
        payload: Any
        if kind == Kind.ITEMS:
            shown = payload = _read_items(request, name)
        elif kind == Kind.DOCUMENTS:
            shown, payload = _read_documents(request, name, submission.problems)
        elif kind == Kind.FILE:
            shown = payload = remembered_upload(request, name, submission.problems)
        else:
            shown = payload = request.POST.get(name, "").strip()
        if kind in (Kind.ITEMS, Kind.DOCUMENTS):
            # As many rows as were on the page, one empty at least, and one more when the user asked for it.
            total = max(_row_count(request, name), len(shown) + 1) + (submission.adding_row == name)
            submission.blank_rows[name] = total - len(shown)
        if kind == Kind.AMOUNT and shown:
            payload = parse_amount(shown)
            if payload is None:
                submission.problems.append(
                    FieldProblem(name, "invalid", _("Give the amount as a whole number of đồng."))
                )
        submission.values[name] = shown
        if not _blank(payload):
            submission.payload[name] = payload
        elif required and not any(p.field == name for p in submission.problems):
            message = _("Fill in “%(field)s”.") % {"field": FIELDS[name].label}
            submission.problems.append(FieldProblem(name, "required", message))
    if action.name in DESTRUCTIVE and not submission.confirmed:
        submission.problems.append(
            FieldProblem(CONFIRM, "required", _("Tick the box to confirm; this cannot be undone."))
        )
    return submission


# --- drawing a form ----------------------------------------------------------------------------------------


@dataclass
class ActionForm:
    action: Action
    version: int
    widgets: list[Widget | Rows]
    destructive: bool
    open: bool = False
    message: str = ""  # a problem with the action as a whole, such as a conflict with the dossier's state
    confirm: Widget | None = None
    problems: list[FieldProblem] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.action.name

    @property
    def label(self) -> Promise:
        return self.action.label

    @property
    def html_id(self) -> str:
        return f"action-{self.action.name}"

    def anchor_of(self, problem_field: str) -> str:
        """The id of the input a problem is about, or of the form itself when no input matches."""
        for widget in [*self.widgets, *([self.confirm] if self.confirm else [])]:
            if problem_field == widget.name:
                return widget.html_id
            if isinstance(widget, Rows) and problem_field.startswith(f"{widget.name}."):
                return _row_anchor(widget, problem_field)
        return self.html_id

    def summary(self) -> list[tuple[str, str]]:
        """Every problem of the form as (message, id of the input it is about), for the error summary."""
        entries = [(self.message, self.html_id)] if self.message else []
        return entries + [(str(p.message), self.anchor_of(p.field)) for p in self.problems]

    @property
    def general_errors(self) -> list[str]:
        """The problems no input of the form shows: drawn at the top of the form."""
        return [message for message, anchor in self.summary() if anchor == self.html_id]


def _row_anchor(rows: Rows, problem_field: str) -> str:
    _, index, *column = problem_field.split(".")
    if index.isdigit() and int(index) < len(rows.rows):
        cells = rows.rows[int(index)]
        return next(
            (c.html_id for c in cells if column and c.name.endswith(f"-{column[0]}")), cells[0].html_id
        )
    return rows.html_id


def messages_for(problems: Iterable[FieldProblem], name: str) -> list[str]:
    return [str(p.message) for p in problems if p.field == name]


def stored_uploads(user: User, ids: Iterable[int | None]) -> dict[int, UploadedFile]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    return {f.pk: f for f in UploadedFile.objects.filter(owner_id=user.pk, pk__in=wanted)}


def _rows_widget(
    prefix: str, name: str, spec: FieldSpec, dossier: Dossier, values: list[dict[str, Any]], context: _Binding
) -> Rows:
    blank = {c.name: "" for c in spec.columns}
    choices = {c.name: c.choices(dossier) if c.choices else [] for c in spec.columns}
    blanks = min(context.blank_rows.get(name, BLANK_ROWS), MAX_ROWS - len(values))
    rows = []
    for index, row in enumerate([*values, *([blank] * blanks)]):
        cells = []
        for column in spec.columns:
            path = f"{name}.{index}.{column.name}"
            value = row.get(column.name)
            cells.append(
                Widget(
                    html_id=f"{prefix}-{name}-{index}-{column.name}",
                    name=f"{name}-{index}-{column.name}",
                    label=column.label,
                    kind=column.kind,
                    value="" if value is None else value,
                    choices=choices[column.name],
                    errors=messages_for(context.problems, path),
                    stored=context.uploads.get(value) if isinstance(value, int) else None,
                    sr_suffix=_("row %(number)d") % {"number": index + 1},
                )
            )
        rows.append(cells)
    return Rows(
        html_id=f"{prefix}-{name}",
        name=name,
        label=spec.label,
        rows=rows,
        help=spec.help,
        errors=messages_for(context.problems, name),
    )


@dataclass
class _Binding:
    problems: list[FieldProblem]
    uploads: dict[int, UploadedFile]
    blank_rows: dict[str, int]


def _upload_ids(values: dict[str, Any]) -> list[int | None]:
    ids: list[int | None] = []
    for value in values.values():
        if isinstance(value, int):
            ids.append(value)
        elif isinstance(value, list):
            ids += [row.get("file") for row in value if isinstance(row.get("file"), int)]
    return ids


def bind(
    action: Action,
    dossier: Dossier,
    user: User,
    submission: Submission | None = None,
    problems: Iterable[FieldProblem] = (),
    message: str = "",
) -> ActionForm:
    """The action's form for this dossier: empty (with initial values), or as posted with its problems."""
    values = submission.values if submission else {}
    context = _Binding(
        [*(submission.problems if submission else []), *problems],
        stored_uploads(user, _upload_ids(values)),
        submission.blank_rows if submission else {},
    )
    prefix = f"action-{action.name}"
    widgets: list[Widget | Rows] = []
    for name, required in fields_of(action, dossier):
        spec = FIELDS[name]
        if spec.kind in (Kind.ITEMS, Kind.DOCUMENTS):
            rows = _rows_widget(prefix, name, spec, dossier, values.get(name) or [], context)
            rows.required = required
            widgets.append(rows)
            continue
        value = values[name] if name in values else (spec.initial(dossier) if spec.initial else "")
        widgets.append(
            Widget(
                html_id=f"{prefix}-{name}",
                name=name,
                label=spec.label,
                kind=spec.kind,
                value="" if value is None else value,
                required=required,
                help=spec.help,
                choices=spec.choices(dossier) if spec.choices else [],
                errors=messages_for(context.problems, name),
                stored=context.uploads.get(value) if isinstance(value, int) else None,
            )
        )
    destructive = action.name in DESTRUCTIVE
    confirm = None
    if destructive:
        confirm = Widget(
            html_id=f"{prefix}-{CONFIRM}",
            name=CONFIRM,
            label=_("I confirm “%(action)s”; this cannot be undone.") % {"action": action.label},
            kind=Kind.CHECKBOX,
            value=bool(submission and submission.confirmed),
            required=True,
            errors=messages_for(context.problems, CONFIRM),
        )
    return ActionForm(
        action,
        dossier.version,
        widgets,
        destructive,
        open=submission is not None,
        message=message,
        confirm=confirm,
        problems=context.problems,
    )
