"""A tiny client generated at run time from the API's own OpenAPI document: one method per operation
(``client.assignments_list(status="assigned")``), which fills the path, sends the token and validates the
answer against the document's response schema. What a generated client (openapi-python-client) would do,
without a code generator in the test run."""

from __future__ import annotations

import re

from openapi_schema_validator import OAS30Validator, oas30_format_checker


class SchemaError(AssertionError):
    pass


def nullable_refs(schema):
    """OpenAPI 3.0 writes a nullable reference as ``{"allOf": [{"$ref": …}], "nullable": true}``: null or the
    referenced object. The validator applies ``nullable`` to the sibling keywords only, so spell it out."""
    if isinstance(schema, list):
        return [nullable_refs(value) for value in schema]
    if not isinstance(schema, dict):
        return schema
    schema = {key: nullable_refs(value) for key, value in schema.items()}
    if schema.get("nullable") and "allOf" in schema and "type" not in schema:
        rest = {key: value for key, value in schema.items() if key not in ("allOf", "nullable")}
        return {**rest, "anyOf": [{"allOf": schema["allOf"]}, {"enum": [None]}]}
    return schema


class SchemaClient:
    def __init__(self, http, spec: dict):
        self.http, self.spec = http, spec
        self.operations = {}
        for path, methods in spec["paths"].items():
            for method, operation in methods.items():
                if method in ("get", "post", "put", "patch", "delete"):
                    self.operations[operation["operationId"]] = (path, method, operation)

    def __getattr__(self, name):
        if name not in self.__dict__.get("operations", {}):
            raise AttributeError(name)
        return lambda **kwargs: self.call(name, **kwargs)

    def url(self, path: str, params: dict) -> str:
        def fill(match):
            return str(params.pop(match.group(1)))

        return re.sub(r"\{(\w+)\}", fill, path)

    def call(self, operation_id: str, *, expect: int = 200, body=None, **params):
        path, method, operation = self.operations[operation_id]
        url = self.url(path, params)
        known = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        unknown = set(params) - known
        if unknown:
            raise SchemaError(f"{operation_id}: parameters not in the document: {sorted(unknown)}")
        if method == "get":
            response = self.http.get(url, params)
        else:
            response = getattr(self.http, method)(url, body or {}, format="json")
        if response.status_code != expect:
            raise SchemaError(f"{method.upper()} {url}: {response.status_code} {response.content[:300]!r}")
        data = response.json()
        self.validate(operation, str(response.status_code), data)
        return data

    def validate(self, operation: dict, status: str, data) -> None:
        responses = operation["responses"]
        if status not in responses:
            raise SchemaError(f"{operation['operationId']}: status {status} is not in the document")
        content = responses[status].get("content", {}).get("application/json")
        if content is None:
            raise SchemaError(f"{operation['operationId']}: no JSON body documented for {status}")
        schema = nullable_refs({**content["schema"], "components": self.spec["components"]})
        errors = sorted(OAS30Validator(schema, format_checker=oas30_format_checker).iter_errors(data), key=str)
        if errors:
            raise SchemaError(f"{operation['operationId']}: {errors[0].message} at {list(errors[0].absolute_path)}")
