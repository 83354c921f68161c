"""Checks examples against the schemas of their OpenAPI document with `openapi-schema-validator`
(the JSON-schema library `openapi-spec-validator` is built on), independently of the generator.

Input (a file named by the first argument): {"documents": {name: {"path": <the document as JSON>,
"openapi": <its version>}}, "examples": [[name, schema pointer, value], ...]}.
Output (stdout): one entry per example, in order: null when the value is valid, else the first
validation error as text ("<path in the value>: <message>").
"""

import json
import sys
from urllib.parse import quote

from jsonschema.exceptions import best_match
from openapi_schema_validator import OAS30Validator, OAS31Validator, oas30_format_checker, oas31_format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4, DRAFT202012

BASE = "urn:openapi-document"


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        request = json.load(f)
    registries = {}
    results = []
    for name, pointer, value in request["examples"]:
        if name not in registries:
            document = request["documents"][name]
            with open(document["path"], encoding="utf-8") as f:
                contents = json.load(f)
            v31 = document["openapi"].startswith("3.1")
            specification = DRAFT202012 if v31 else DRAFT4
            registry = Registry().with_resource(BASE, Resource(contents=contents, specification=specification))
            registries[name] = (registry, v31)
        registry, v31 = registries[name]
        # `pointer` is `#/...`: a JSON pointer, percent-encoded into the fragment.
        schema = {"$ref": BASE + "#" + quote(pointer[1:], safe="/~")}
        if v31:
            validator = OAS31Validator(schema, registry=registry, format_checker=oas31_format_checker)
        else:
            validator = OAS30Validator(schema, registry=registry, format_checker=oas30_format_checker)
        try:
            error = best_match(validator.iter_errors(value))
        except Exception as exc:  # an unresolvable reference in the document, say
            results.append(f"the validator failed: {type(exc).__name__}: {exc}")
            continue
        if error is None:
            results.append(None)
        else:
            where = "/" + "/".join(str(p) for p in error.absolute_path)
            message = error.message if len(error.message) <= 200 else error.message[:200] + "..."
            results.append(f"{where}: {message}")
    json.dump(results, sys.stdout)


main()
