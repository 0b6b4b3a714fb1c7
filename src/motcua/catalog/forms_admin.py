"""Forms of the catalogue's admin pages: money in whole đồng, the e-form editor, and the checks the catalogue
services make (workflow budgets, non-overlapping validity), run while the page can still show them."""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import InvalidJSONInput
from django.forms.models import BaseInlineFormSet
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.catalog.forms_schema import with_field_order
from motcua.catalog.models import Case, Fee, ProcedureVersion
from motcua.catalog.services import budget_problem, validity_problem

# 50000, or grouped by thousands with one separator used throughout: 50.000, 50,000, 1 250 000.
_PLAIN_DONG = re.compile(r"\d+", re.ASCII)
_GROUPED_DONG = re.compile(r"\d{1,3}([.,\s])\d{3}(?:\1\d{3})*", re.ASCII)


def format_dong(amount: int) -> str:
    """An amount of đồng grouped by thousands as the active language writes them (50.000 in Vietnamese)."""
    return f"{amount:,}".replace(",", str(get_format("THOUSAND_SEPARATOR")))


class DongInput(forms.TextInput):
    """A text box, not a number one: a browser's number box refuses the grouped figures people write."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            {"inputmode": "numeric", "autocomplete": "off", "class": "dong-input", **(attrs or {})}
        )


class DongField(forms.IntegerField):
    """A whole number of đồng, shown grouped by thousands and accepted with or without the grouping."""

    widget = DongInput
    default_error_messages = {"invalid": _("Write a whole number of đồng, such as 50.000.")}

    def to_python(self, value: Any) -> int | None:
        text = str(value if value is not None else "").strip().removesuffix("đ").removesuffix("₫").strip()
        if not text:
            return None
        if _PLAIN_DONG.fullmatch(text) or _GROUPED_DONG.fullmatch(text):
            return int(re.sub(r"\D", "", text))
        raise ValidationError(self.error_messages["invalid"], code="invalid")

    def prepare_value(self, value: Any) -> Any:
        return format_dong(value) if isinstance(value, int) else value


class FeeForm(forms.ModelForm):
    class Meta:
        model = Fee
        fields = ["kind", "amount", "online_amount", "unit", "description", "exemptions"]
        field_classes = {"amount": DongField, "online_amount": DongField}
        # Given here, the widgets win over the number boxes the admin gives integer columns.
        widgets = {
            "amount": DongInput,
            "online_amount": DongInput,
            "description": forms.Textarea(attrs={"rows": 2, "cols": 30}),
            "exemptions": forms.Textarea(attrs={"rows": 2, "cols": 30}),
        }


class SchemaField(forms.JSONField):
    """The e-form schema as indented JSON; an empty box means the case has no e-form."""

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, InvalidJSONInput):
            return value
        return json.dumps(value, ensure_ascii=False, indent=2, cls=self.encoder)

    def to_python(self, value: Any) -> Any:
        parsed = super().to_python(value)
        return {} if parsed is None else with_field_order(parsed) if isinstance(parsed, dict) else parsed


class SchemaEditor(forms.Textarea):
    """The schema's text beside a preview of the form it describes, redrawn as the administrator types.

    The preview is drawn by a small script; without it the text box and the check on saving still work.
    """

    class Media:
        css = {"all": ["catalog/admin/schema-editor.css"]}
        js = ["catalog/admin/schema-editor.js"]

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"rows": 24, "spellcheck": "false", "class": "schema-source", **(attrs or {})})

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> str:
        source = super().render(name, value, attrs, renderer)
        preview_id = f"{(attrs or {}).get('id') or name}-preview"
        # The script has no text of its own: every word it shows is translated here.
        texts = {
            "invalidJson": gettext("Not valid JSON yet: %(error)s"),
            "empty": gettext("No e-form: applicants fill in no form for this case."),
            "noFields": gettext("No fields to show: the schema lists no properties."),
            "required": gettext("required"),
            "choose": gettext("Choose…"),
            "repeated": gettext("Can be given several times."),
            "onePerLine": gettext("One per line."),
        }
        return format_html(
            '<div class="schema-editor" data-schema-editor data-preview="{}" data-texts="{}">{}'
            '<section class="schema-preview" id="{}" hidden aria-labelledby="{}-title">'
            '<h3 id="{}-title">{}</h3><p class="schema-preview-hint">{}</p>'
            '<p class="schema-preview-status" role="status" aria-live="polite"></p>'
            '<div class="schema-preview-form"></div></section></div>',
            preview_id,
            json.dumps(texts, ensure_ascii=False),
            source,
            preview_id,
            preview_id,
            preview_id,
            gettext("Preview of the e-form"),
            gettext("Redrawn as you type; the schema is checked again when you save."),
        )


class CaseAdminForm(forms.ModelForm):
    class Meta:
        model = Case
        fields = [
            "version",
            "code",
            "name",
            "order",
            "time_value",
            "time_unit",
            "online_time_value",
            "online_time_unit",
            "same_day_cutoff",
            "form_schema",
        ]
        field_classes = {"form_schema": SchemaField}
        widgets = {"form_schema": SchemaEditor}


class CaseInlineForm(forms.ModelForm):
    """A case as a row of its version's page: a shorter time must still leave room for its saved steps."""

    class Meta:
        model = Case
        fields = ["code", "name", "order", "time_value", "time_unit"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance.pk and {"time_value", "time_unit"} <= cleaned.keys():
            budgets = self.instance.steps.values_list("budget_hours", flat=True)
            problem = budget_problem(cleaned["code"], cleaned["time_value"], cleaned["time_unit"], budgets)
            if problem:
                self.add_error("time_value", problem)
        return cleaned


class WorkflowStepFormSet(BaseInlineFormSet):
    """The steps of a case as edited on its page, held to the case's time as publishing holds them."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        budgets = [
            form.cleaned_data["budget_hours"]
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        case = self.instance
        if problem := budget_problem(case.code, case.time_value, case.time_unit, budgets):
            raise ValidationError(problem, code="over_budget")


class ProcedureVersionAdminForm(forms.ModelForm):
    class Meta:
        model = ProcedureVersion
        fields = [
            "procedure",
            "number",
            "name",
            "field",
            "level",
            "valid_from",
            "valid_to",
            "competent_agency",
            "receiving_units",
            "online_level",
            "instant_service",
            "supplement_policy",
            "description",
            "applicants",
            "steps",
            "conditions",
            "legal_basis",
            "result_types",
            "publish_decision",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # The procedure is chosen when the version is added and shown read-only afterwards.
        procedure = cleaned.get("procedure")
        procedure_id = procedure.pk if procedure is not None else self.instance.procedure_id
        valid_from = cleaned.get("valid_from")
        if procedure_id is not None and valid_from is not None and "valid_to" not in self.errors:
            problem = validity_problem(procedure_id, valid_from, cleaned.get("valid_to"), self.instance.pk)
            if problem:
                self.add_error("valid_from", problem)
        return cleaned
