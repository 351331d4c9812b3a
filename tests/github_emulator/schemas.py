"""Every emulator answer checked against GitHub's own OpenAPI description.

API responses go through `tests.support.github_openapi.validate_response` (GitHub's REST
description for api.github.com). Two things that helper does not cover are handled here:

- Statuses GitHub sends but does not declare for an operation (a 502 from a fault, 401 on
  `GET /orgs/{org}/repos`...): the body must still be GitHub's "basic-error" schema, taken from
  the same description (`GET /user`'s 401).
- Webhook deliveries: the body must match the description's `x-webhooks` schema of its event
  and action (`issues-opened`...). Those schemas are extracted from the 73 MB description once,
  into `var/cache/`, like the helper's own cache.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile

import requests
from openapi_schema_validator import OAS30ReadValidator, OAS30Validator, oas30_format_checker

from tests.support import github_openapi


def validated(response: requests.Response, *, undeclared: bool = False) -> requests.Response:
    """`response` (and any redirect before it) validated; `undeclared=True` for a status the
    operation does not declare, whose body is then checked as GitHub's basic error."""
    for hop in [*response.history, response]:
        if undeclared and hop is response:
            assert_basic_error(hop)
        else:
            github_openapi.validate_response(hop.request.method, hop.url, hop.status_code, hop.headers, hop.content)
    return response


def assert_basic_error(response: requests.Response) -> None:
    github_openapi.operation_for(response.request.method, response.url)  # a real GitHub operation
    schema = github_openapi.description().operation("GET", "/user").response_schema(401)
    _assert_valid(response.json(), schema, OAS30ReadValidator, f"{response.status_code} {response.url}")


def assert_valid_webhook(event: str, payload: dict) -> None:
    """`payload` matches GitHub's schema for `event` with its action, e.g. issues-opened."""
    name = f"{event}-{payload['action']}"
    _assert_valid(payload, webhook_schemas(event)[name], OAS30Validator, f"webhook {name}")


@functools.cache
def webhook_schemas(event: str) -> dict:
    spec = github_openapi.description()
    cache_path = github_openapi.CACHE_DIR / f"github-webhooks-{event}-{spec.package_version}.json"
    try:
        return json.loads(cache_path.read_text())
    except (OSError, ValueError):
        pass
    with spec.source.open("rb") as file:
        hooks = json.load(file)["x-webhooks"]
    schemas = {
        name: hook["post"]["requestBody"]["content"]["application/json"]["schema"]
        for name, hook in hooks.items()
        if name.startswith(f"{event}-")
    }
    cache_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=cache_path.parent, prefix=cache_path.name, suffix=".tmp")
    with os.fdopen(fd, "w") as file:
        json.dump(schemas, file, separators=(",", ":"))
    os.chmod(tmp, 0o644)
    os.replace(tmp, cache_path)
    return schemas


def _assert_valid(instance, schema: dict, validator_class, where: str) -> None:
    validator = validator_class(schema, format_checker=oas30_format_checker)
    problems = [f"{error.json_path}: {error.message[:200]}" for error in validator.iter_errors(instance)]
    assert not problems, f"{where}:\n  " + "\n  ".join(problems[:8])
