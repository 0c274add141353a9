"""The API's documentation at /schema: our own page, rendered on the server from the OpenAPI
document, with no script and nothing fetched from elsewhere.

Litestar's renderers (Scalar, Swagger, Redoc) load their script from a CDN (a blank page offline,
an unpinned third-party script) and start it with an inline script that our CSP forbids. This page
lists every operation with its parameters, body and answers, and every data type with its fields;
the machine-readable document stays at /schema/openapi.json.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.openapi.plugins import OpenAPIRenderPlugin

METHODS = ("get", "post", "put", "patch", "delete")
TEMPLATE = "api_docs.html"


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    where: str  # path, query, header, cookie, or "" for a body field
    type: str
    required: bool
    description: str = ""


@dataclass(frozen=True, slots=True)
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    parameters: tuple[Field, ...]
    body: str  # "AnswerBody (application/json)", or ""
    responses: tuple[tuple[str, str], ...]  # (status, description)


@dataclass(frozen=True, slots=True)
class DataType:
    name: str
    description: str
    kind: str  # "object", or the values of an enum
    fields: tuple[Field, ...]


def type_name(schema: dict[str, Any]) -> str:
    """A short, readable name for a JSON schema: `AnswerView`, `array of string`, `integer | null`."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    for combinator in ("oneOf", "anyOf"):
        if combinator in schema:
            return " | ".join(type_name(s) for s in schema[combinator])
    kind = schema.get("type")
    if isinstance(kind, list):
        return " | ".join(str(k) for k in kind)
    if kind == "array":
        return f"array of {type_name(schema.get('items', {}))}"
    if "enum" in schema:
        return " | ".join(repr(v) for v in schema["enum"])
    if kind == "string" and "format" in schema:
        return f"string ({schema['format']})"
    return str(kind or "any")


def _operation(method: str, path: str, spec: dict[str, Any]) -> Operation:
    parameters = tuple(
        Field(
            name=p["name"],
            where=p.get("in", ""),
            type=type_name(p.get("schema", {})),
            required=bool(p.get("required")),
            description=p.get("description", ""),
        )
        for p in spec.get("parameters", [])
    )
    body = ""
    if "requestBody" in spec:
        content = spec["requestBody"].get("content", {})
        body = ", ".join(f"{type_name(c.get('schema', {}))} ({media})" for media, c in content.items())
    answers = sorted(spec.get("responses", {}).items())
    responses = tuple((status, answer.get("description", "")) for status, answer in answers)
    return Operation(
        method=method.upper(),
        path=path,
        anchor=spec.get("operationId", f"{method}{path}"),
        summary=spec.get("summary", ""),
        description=spec.get("description", ""),
        parameters=parameters,
        body=body,
        responses=responses,
    )


def operations(document: dict[str, Any]) -> dict[str, list[Operation]]:
    """Every operation, grouped by its first tag, in the document's order."""
    groups: dict[str, list[Operation]] = {}
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                tag = (item[method].get("tags") or ["other"])[0]
                groups.setdefault(tag, []).append(_operation(method, path, item[method]))
    return groups


def data_types(document: dict[str, Any]) -> list[DataType]:
    types = []
    for name, schema in sorted(document.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        fields = tuple(
            Field(name=field, where="", type=type_name(spec), required=field in required)
            for field, spec in schema.get("properties", {}).items()
        )
        kind = type_name(schema) if "enum" in schema else "object"
        types.append(DataType(name=name, description=schema.get("description", ""), kind=kind, fields=fields))
    return types


class ApiDocsPage(OpenAPIRenderPlugin):
    """Served at the root of /schema (Litestar serves the first render plugin there)."""

    def __init__(self) -> None:
        super().__init__(path="/docs", favicon="", style="")

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        template = request.app.template_engine.get_template(TEMPLATE)
        html = template.render(
            kommun_name=request.app.state.get("kommun_name"),
            request=request,
            user=None,
            info=openapi_schema.get("info", {}),
            groups=operations(openapi_schema),
            data_types=data_types(openapi_schema),
            json_url=self.get_openapi_json_route(request),
        )
        return html.encode()
