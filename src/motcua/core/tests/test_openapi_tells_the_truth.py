"""Issue 10, finding 7 (b, c): the published OpenAPI matches the Python models and documents the errors.

ninja names a component schema after its model's class name and keeps one of two same-named models silently:
on today's code the dossiers' `StepOut` replaced the catalogue's, so every procedure answer contradicted the
published schema (`test_every_operation_publishes_its_own_models` fails there), and no error answer was
documented (`test_every_operation_documents_its_error_answers` fails there).
"""

from __future__ import annotations

from typing import Any

import pytest
from ninja.constants import NOT_SET
from pydantic import BaseModel, TypeAdapter

from motcua.api import api
from motcua.core.errors import PROBLEM_JSON
from motcua.core.openapi import operations


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return api.get_openapi_schema()


def _resolved(node: Any, definitions: dict[str, Any]) -> Any:
    """`node` with every $ref replaced by what it names; titles (the class names) left out."""
    if isinstance(node, dict):
        if "$ref" in node:
            return _resolved(definitions[node["$ref"].rsplit("/", 1)[-1]], definitions)
        return {k: _resolved(v, definitions) for k, v in node.items() if k not in ("title", "$defs")}
    if isinstance(node, list):
        return [_resolved(item, definitions) for item in node]
    return node


def _published(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {op["operationId"]: op for item in spec["paths"].values() for op in item.values()}


def test_every_operation_publishes_its_own_models(spec):
    components = spec["components"]["schemas"]
    published = _published(spec)
    checked = 0
    for operation_id, operation in operations(api).items():
        for status, model in operation.response_models.items():
            if model is None or model is NOT_SET:
                continue  # no JSON body (a file download documents its own content)
            annotation: Any = model.model_fields["response"].annotation
            python = TypeAdapter(annotation).json_schema(mode="serialization")
            published_answer = published[operation_id]["responses"][str(status)]
            answer = published_answer["content"]["application/json"]["schema"]
            assert _resolved(answer, components) == _resolved(python, python.get("$defs", {})), (
                f"{operation_id} {status}: the OpenAPI's schema is not the model's (a same-named schema?)"
            )
            checked += 1
    assert checked >= 20


def _models_in(annotation: Any, found: set[type[BaseModel]]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return
        found.add(annotation)
        for field in annotation.model_fields.values():
            _models_in(field.annotation, found)
    for argument in getattr(annotation, "__args__", ()):
        _models_in(argument, found)


def test_no_two_models_share_a_schema_name():
    found: set[type[BaseModel]] = set()
    for operation in operations(api).values():
        for model in [*operation.response_models.values(), *operation.models]:
            if model is not None:
                _models_in(model, found)
    names: dict[str, type[BaseModel]] = {}
    for model in found:
        if not model.__module__.startswith("motcua."):
            continue
        other = names.setdefault(model.__name__, model)
        assert other is model, f"{model.__name__}: {model.__module__} and {other.__module__}"
    assert "WorkflowStepOut" in names and "CurrentStepOut" in names


XML = "application/xml"


def test_every_operation_documents_its_error_answers(spec):
    problem = spec["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail", "errors"}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            answers = operation["responses"]
            # A number and its text are one key in JSON: Swagger UI refuses such a document outright.
            assert all(isinstance(status, str) for status in answers), (method, path, list(answers))
            errors = {int(status) for status in answers if int(status) >= 400}
            if operation.get("security"):
                assert {401, 403} <= errors, (method, path)
            if "{" in path:
                assert 404 in errors, (method, path)
            if "requestBody" in operation:
                assert {400, 413, 422} <= errors, (method, path)
            # An endpoint that takes edXML documents may answer in edXML (a status message, QCVN 102:2016).
            speaks_xml = list(operation.get("requestBody", {}).get("content", {})) == [XML]
            for status in errors:
                content = answers[str(status)]["content"]
                if speaks_xml and list(content) == [XML]:
                    continue
                assert list(content) == [PROBLEM_JSON], (method, path, status)
                assert content[PROBLEM_JSON]["schema"] == {"$ref": "#/components/schemas/Problem"}
    dossiers = spec["paths"]["/api/v1/dossiers"]["post"]["responses"]
    action = spec["paths"]["/api/v1/dossiers/{code}/actions/{action}"]["post"]["responses"]
    upload = spec["paths"]["/api/v1/files"]["post"]["responses"]
    assert "409" in dossiers and "409" in action and "413" in upload
    # Declared where the shape cannot tell: a sign-in refuses wrong credentials and locks out (ADR 0013).
    assert {"401", "403", "429"} <= set(spec["paths"]["/api/v1/auth/token"]["post"]["responses"])
    assert "WWW-Authenticate" in dossiers["401"]["headers"]


def test_the_published_openapi_answers(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "Problem" in response.json()["components"]["schemas"]


def test_a_json_body_over_the_limit_is_413(world, settings):
    """Django refuses to read a body over DATA_UPLOAD_MAX_MEMORY_SIZE; the API says 413, not 500."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = world.client("counter").post(
        "/api/v1/dossiers", {"procedure": "x" * 4096}, content_type="application/json"
    )
    assert response.status_code == 413, response.content
    assert response["Content-Type"] == PROBLEM_JSON
