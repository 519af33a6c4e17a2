"""The OpenAPI schema as clients see the API: who may call each operation, and every error
it can answer, each with its JSON body."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework.fields import CharField, SlugField
from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissionsOrAnonReadOnly

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
    "description": "`detail` says what went wrong; a 400 names each refused field instead.",
}
# A 400 is keyed by field, or a list of messages when no field is to blame.
INVALID = {"anyOf": [ERROR, {"type": "array", "items": {"type": "string"}}]}

EVERY_OPERATION = {
    400: "A parameter or the body was refused; the body names each field and why.",
    401: "The token or session is not valid, or this operation needs one.",
    403: "Signed in, but not allowed to do this.",
    404: "No such object (or it is not visible to you), or an invalid page cursor.",
    429: "Too many requests from this client; Retry-After says when to try again.",
    503: "The database cannot be reached; Retry-After says when to try again.",
}
WRITES = {
    409: "The write clashed with another made at the same moment; nothing was saved.",
    413: "The request body is larger than this server accepts.",
    415: "The body's Content-Type is not JSON, form or multipart.",
}


# Text fields refuse the NUL character (DRF's ProhibitNullCharactersValidator) and the
# bidirectional controls (domain.text); a blank value, where allowed, is the other branch
# of the oneOf drf-spectacular builds.
PLAIN_TEXT = "^[^\\x00\\u202a-\\u202e\\u2066-\\u2069]+$"
SLUG = "^[-a-zA-Z0-9_]+$"


class LedgerAutoSchema(AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction == "request" and isinstance(field, CharField) and not field.read_only:
            if not field.allow_blank:
                schema.setdefault("minLength", 1)
            if isinstance(field, SlugField):
                schema["pattern"] = SLUG
            else:
                schema.setdefault("pattern", PLAIN_TEXT)
        return schema

    def get_auth(self):
        auths = super().get_auth()
        open_reads = any(
            isinstance(permission, DjangoModelPermissionsOrAnonReadOnly)
            for permission in self.view.get_permissions()
        )
        if open_reads and self.method in SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(EVERY_OPERATION)
        if self.method not in SAFE_METHODS:
            errors |= WRITES
        for code, description in errors.items():
            responses.setdefault(str(code), self._error_response(code, description))
        for code, response in responses.items():
            if code[0] in "45" and "content" not in response:
                response.update(self._error_response(int(code), response["description"]))
            # CSV is text, whatever the JSON answer's shape.
            if "text/csv" in response.get("content", {}):
                response["content"]["text/csv"] = {"schema": {"type": "string"}}
        return responses

    def _error_response(self, code: int, description: str) -> dict:
        name = "ValidationError" if code == 400 else "Error"
        component = ResolvedComponent(
            name=name,
            type=ResolvedComponent.SCHEMA,
            object=name,
            schema=INVALID if code == 400 else ERROR,
        )
        self.registry.register_on_missing(component)
        # Errors are rendered like the answer asked for; CSV errors are rows of text.
        content = {}
        for media_type in self.map_renderers("media_type"):
            schema = {"type": "string"} if media_type == "text/csv" else component.ref
            content[media_type] = {"schema": schema}
        return {"description": description, "content": content}


def closed_request_bodies(result, generator, request, public):
    """drf-spectacular postprocessing hook: request bodies, and the objects nested in them,
    take only the fields they name (the serializers refuse any other with 400)."""
    components = result.get("components", {}).get("schemas", {})
    pending = [
        media.get("schema", {})
        for operations in result.get("paths", {}).values()
        for operation in operations.values()
        for media in operation.get("requestBody", {}).get("content", {}).values()
    ]
    closed = set()
    while pending:
        schema = pending.pop()
        if not isinstance(schema, dict):
            continue
        ref = schema.get("$ref", "").rsplit("/", 1)[-1]
        if ref:
            if ref not in closed:
                closed.add(ref)
                pending.append(components.get(ref, {}))
            continue
        if schema.get("type") == "object" and "properties" in schema:
            schema["additionalProperties"] = False
        pending.extend(schema.get("properties", {}).values())
        pending.append(schema.get("items"))
        for key in ("oneOf", "anyOf", "allOf"):
            pending.extend(schema.get(key, []))
    return result
