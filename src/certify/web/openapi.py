"""Document the error answers every operation can give, in the one error shape we use.

Litestar documents 400 for handlers that validate input; the other statuses come from our
exception mapping (web/errors.py), the auth middleware, the rate limiter and the body limit,
which it cannot see. They are added to the generated schema once, at start-up.
"""

from __future__ import annotations

from litestar import Litestar
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, OpenAPIType, Reference, Schema

from certify.text.errors import CODES, describe

ERROR_STATUSES = {
    400: "Invalid input: `extra.field` names the field, `extra.code` says what is wrong",
    401: "Not logged in",
    403: "Your role may not do this",
    404: "Not found, or not yours",
    409: "Not allowed in the current state, or changed concurrently",
    413: "Request body too large",
    415: "The body is not JSON: send it with Content-Type: application/json",
    422: "A business rule is not met: `extra.code` says which (`extra.problems` lists them all)",
    429: "Too many requests from this client",
}

ERROR_CODE_SCHEMA = Schema(
    type=OpenAPIType.STRING,
    enum=list(CODES),
    description=(
        "The stable code of what happened: branch on it, never on `detail` (which is worded in the "
        "request's language, chosen by `?lang=` or `Accept-Language`, and may be improved). The codes "
        "with their Swedish texts:\n\n" + "\n".join(f"- `{code}`: {describe(code)}" for code in CODES)
    ),
)

ERROR_SCHEMA = Schema(
    type=OpenAPIType.OBJECT,
    required=["status_code", "detail", "extra"],
    properties={
        "status_code": Schema(type=OpenAPIType.INTEGER),
        "detail": Schema(type=OpenAPIType.STRING, description="What happened, in the request's language"),
        "extra": Schema(
            type=OpenAPIType.OBJECT,
            required=["code"],
            properties={
                "code": ERROR_CODE_SCHEMA,
                "field": Schema(
                    type=OpenAPIType.STRING, description="The wrong input field (400 `invalid_field` & co.)"
                ),
                "problems": Schema(
                    type=OpenAPIType.ARRAY,
                    description="A refused workflow action: every problem still stopping it",
                    items=Schema(
                        type=OpenAPIType.OBJECT,
                        properties={
                            "code": Schema(type=OpenAPIType.STRING),
                            "points": Schema(type=OpenAPIType.ARRAY, items=Schema(type=OpenAPIType.INTEGER)),
                        },
                    ),
                ),
            },
            additional_properties=True,
        ),
    },
)


ERROR_COMPONENT = "Error"
ERROR_REFERENCE = Reference(ref=f"#/components/schemas/{ERROR_COMPONENT}")


def document_errors(app: Litestar) -> None:
    schema = app.openapi_schema
    if schema.components.schemas is None:
        schema.components.schemas = {}
    schema.components.schemas[ERROR_COMPONENT] = ERROR_SCHEMA  # once: the code list is long
    for path_item in (schema.paths or {}).values():
        for operation in (path_item.get, path_item.put, path_item.post, path_item.patch, path_item.delete):
            if operation is None:
                continue
            responses = operation.responses if operation.responses is not None else {}
            for status, description in ERROR_STATUSES.items():
                if str(status) in responses and status != 400:  # Litestar's own 400 lacks the codes
                    continue
                responses[str(status)] = OpenAPIResponse(
                    description=description,
                    content={"application/json": OpenAPIMediaType(schema=ERROR_REFERENCE)},
                )
            operation.responses = responses
