"""The e-forms and the back office's action forms draw their inputs from one widget model (catalog.widgets):
the same kind gives the same HTML input, and help and errors are tied to an input the same way."""

from motcua.backoffice.action_forms import FIELDS, Rows, Widget
from motcua.catalog.eform import BoundField, schema_fields
from motcua.catalog.widgets import Kind, described_by, input_type


def test_a_kind_is_drawn_as_its_html_input_type_except_an_amount():
    assert input_type(Kind.DATETIME) == "datetime-local"
    assert input_type(Kind.DATE) == "date"
    assert input_type(Kind.AMOUNT) == "text"


def test_a_date_and_time_is_the_same_input_in_an_e_form_and_in_an_action_form():
    (moment,) = schema_fields(
        {"type": "object", "properties": {"at": {"type": "string", "format": "date-time"}}}
    )
    assert moment.widget == FIELDS["new_appointment"].kind == Kind.DATETIME
    assert Widget("a", "at", "At", kind=moment.widget).input_type == "datetime-local"


def test_help_comes_before_the_errors_in_what_describes_an_input():
    assert described_by("field-x", has_help=True, has_errors=True) == "field-x-help field-x-error"
    assert described_by("field-x", has_help=False, has_errors=True) == "field-x-error"
    assert described_by("field-x", has_help=True, has_errors=False) == "field-x-help"
    assert described_by("field-x", has_help=False, has_errors=False) == ""


def test_every_input_of_both_forms_is_described_the_same_way():
    (leaf,) = schema_fields(
        {"type": "object", "properties": {"x": {"type": "string", "description": "Help"}}}
    )
    bound = BoundField(leaf, errors=["Wrong"])
    widget = Widget(leaf.id, leaf.name, "X", help="Help", errors=["Wrong"])
    rows = Rows(leaf.id, leaf.name, "X", rows=[], help="Help", errors=["Wrong"])
    assert (
        bound.described_by == widget.describedby == rows.describedby == "field-form-x-help field-form-x-error"
    )
