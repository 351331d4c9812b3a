"""GitHub's own OpenAPI 3.0.3 description as a test oracle for requests and responses.

The description comes from npm (`@octokit/openapi`, `generated/api.github.com.deref.json`, 73 MB,
every `$ref` already inlined). Parsing it takes about a second and 400 MB, so the first session
extracts what the tests use into `var/cache/github-openapi-<description>-<version>.json`: every
path template with its methods (to match URLs) and the full operation objects of the operations
used so far. A later session reads only that small file; an operation missing from it is pulled
from the big file once and added to the cache.

    validate_request("GET", "https://api.github.com/repos/o/r/issues?per_page=100")
    validate_response("GET", url, 200, response.headers, response.json())
    assert_all_calls_valid(responses.calls)

Every failure is an AssertionError naming the operation and the JSON path of the problem.

Where GitHub's behaviour is wider than its description, this module follows the behaviour, and
only there:
- `per_page` has no `maximum` in the schemas; its limit is written in the parameter's
  description ("(max 100)"), so that text is read as the maximum.
- Link headers and redirects use `/repositories/{repository_id}/…` for `/repos/{owner}/{repo}/…`
  (see the paginate-issues and rename-repository recordings); such a URL is checked as the
  `/repos/{owner}/{repo}/…` operation.
- Declared response headers are not marked `required`, and GitHub leaves Link out of a list that
  fits on one page (the labels recording), so a declared header is checked when present, and must
  be present only when `required`.
- Conditional requests work on every GET but only some operations declare 304; a 304 is accepted
  for any GET (with no body), every other undeclared status fails.
- `nullable: true` next to an `enum` without null (`state_reason`): OAS 3.0.3 says nullable adds
  null, openapi-schema-validator checks the enum alone, and GitHub sends null for open issues.
- `{path}`, `{ref}` and `{basehead}` at the end of a template may hold slashes (`contents/a/b.md`,
  `git/refs/heads/main`) when no template matches segment by segment.

Recordings older than the description lack fields GitHub has added and marked required since:
name them in `missing_ok` (the test that replays them says which and why); nothing else is eased.
"""

import functools
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from jsonschema.exceptions import best_match
from jsonschema.validators import extend
from openapi_schema_validator import OAS30ReadValidator, OAS30Validator, oas30_format_checker
from requests.structures import CaseInsensitiveDict

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = ROOT / "node_modules" / "@octokit" / "openapi"
CACHE_DIR = ROOT / "var" / "cache"
CACHE_FORMAT = 1  # bump when the cache's shape changes
ENTERPRISE_PREFIX = "/api/v3"
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
MAX_REPORTED_ERRORS = 8

# Extracted on the first run; anything else is added to the cache the first time it is used.
DEFAULT_OPERATIONS = (
    ("GET", "/"),
    ("GET", "/user"),
    ("GET", "/user/repos"),
    ("GET", "/orgs/{org}"),
    ("GET", "/orgs/{org}/repos"),
    ("GET", "/rate_limit"),
    ("GET", "/repos/{owner}/{repo}"),
    ("GET", "/repos/{owner}/{repo}/issues"),
    ("GET", "/repos/{owner}/{repo}/issues/{issue_number}"),
    ("GET", "/repos/{owner}/{repo}/labels"),
    ("POST", "/repos/{owner}/{repo}/labels"),
    ("GET", "/repos/{owner}/{repo}/branches/{branch}/protection"),
    ("GET", "/search/issues"),
)
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_MAX_IN_DESCRIPTION = re.compile(r"\(max(?:imum)? (\d+)\)")
_ANYTHING = re.compile("(.+)")
# Path parameters whose values hold slashes: a file path, a git ref, "base...head".
SLASHED_PARAMETERS = {"path", "ref", "basehead"}


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    spec: dict = field(repr=False, compare=False)

    @property
    def operation_id(self):
        return self.spec.get("operationId", "")

    @property
    def name(self):
        return f"{self.method} {self.template} ({self.operation_id})"

    def parameters(self, location):
        return {p["name"]: p for p in self.spec.get("parameters", []) if p.get("in") == location}

    @property
    def statuses(self):
        return sorted(self.spec.get("responses", {}))

    def response(self, status):
        return self.spec.get("responses", {}).get(str(status))

    def response_schema(self, status):
        """The JSON schema of the body for a status, or None when it declares no JSON body."""
        content = (self.response(status) or {}).get("content") or {}
        media = _json_media(content)
        return content[media].get("schema") if media else None


class Description:
    """One GitHub OpenAPI description (api.github.com, ghes-3.19, …), loaded lazily once."""

    def __init__(self, name="api.github.com", *, package_dir=PACKAGE_DIR, cache_dir=CACHE_DIR):
        self.name = name
        self.source = Path(package_dir) / "generated" / f"{name}.deref.json"
        self.package_version = json.loads((Path(package_dir) / "package.json").read_text())["version"]
        self.cache_path = Path(cache_dir) / f"github-openapi-{name}-{self.package_version}.json"
        self._cache = None

    def __repr__(self):
        return f"<Description {self.name} {self.package_version}>"

    # --- Loading ------------------------------------------------------------------------
    @property
    def cache(self):
        if self._cache is None:
            self._cache = self._read_cache() or self._build_cache(DEFAULT_OPERATIONS)
        return self._cache

    @functools.cached_property
    def _index(self):
        return _index_templates(self.cache["templates"])

    def _read_cache(self):
        try:
            cache = json.loads(self.cache_path.read_text())
        except (OSError, ValueError):
            return None
        if cache.get("format") != CACHE_FORMAT or cache.get("package_version") != self.package_version:
            return None
        return cache

    def _full_description(self):
        if not self.source.exists():
            raise RuntimeError(f"{self.source} is missing: run `npm ci` to install @octokit/openapi.")
        with self.source.open("rb") as file:
            return json.load(file)

    def _build_cache(self, wanted, previous=None):
        # The parsed description (about 400 MB) is dropped once the few operations are copied out.
        paths = self._full_description()["paths"]
        operations = dict((previous or {}).get("operations", {}))
        for method, template in wanted:
            spec = (paths.get(template) or {}).get(method.lower())
            if spec is not None:
                operations[f"{method.upper()} {template}"] = _with_documented_limits(spec)
        cache = {
            "format": CACHE_FORMAT,
            "description": self.name,
            "package_version": self.package_version,
            "templates": {
                template: sorted(m.upper() for m in item if m in HTTP_METHODS) for template, item in paths.items()
            },
            "operations": operations,
        }
        self._write_cache(cache)
        return cache

    def _write_cache(self, cache):
        # Atomic, so that two sessions at once never read half a file.
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.cache_path.parent, prefix=self.cache_path.name, suffix=".tmp")
        with os.fdopen(fd, "w") as file:
            json.dump(cache, file, separators=(",", ":"))
        os.chmod(tmp, 0o644)
        os.replace(tmp, self.cache_path)

    def operation(self, method, template):
        method = method.upper()
        key = f"{method} {template}"
        if key not in self.cache["operations"]:
            on_disk = (self._read_cache() or {}).get("operations", {})  # another session may have added some
            known = {"operations": {**self._cache["operations"], **on_disk}}
            self._cache = self._build_cache([(method, template)], previous=known)
        return Operation(method, template, self._cache["operations"][key])

    # --- Matching URLs ------------------------------------------------------------------
    def resolve(self, method, url, *, base=None):
        """(Operation, path parameters, query parameters) of a concrete URL; AssertionError if none."""
        method = method.upper()
        path, query = _relative_path(url, base)
        segments = path.strip("/").split("/") if path.strip("/") else []
        found = self._match(method, segments) or self._match(method, segments, greedy_tail=True)
        via = ""
        if found is None and len(segments) >= 2 and segments[0] == "repositories" and segments[1].isdigit():
            # GitHub's own Link and Location headers use the repository id for /repos/{owner}/{repo}.
            alias = ["repos", segments[1], segments[1], *segments[2:]]
            found = self._match(method, alias) or self._match(method, alias, greedy_tail=True)
            via = f" via /repositories/{segments[1]}"
        if found is None:
            methods = self._methods_at(segments)
            if methods:
                raise AssertionError(f"{method} {path}: GitHub has no {method} here, only {', '.join(methods)}.")
            raise AssertionError(f"{method} {path}: no path of GitHub's REST API ({self.name}) matches.")
        template, params = found
        operation = self.operation(method, template)
        if via:
            params = {"repository_id": segments[1]}
            operation = Operation(operation.method, operation.template + via, operation.spec)
        return operation, params, parse_qs(query, keep_blank_values=True)

    def _match(self, method, segments, *, greedy_tail=False):
        """(template, path parameters) of the most literal template for these segments, or None.
        `greedy_tail`: a template ending in a lone parameter may take the remaining segments."""
        if greedy_tail:
            candidates = [
                entry
                for count, entries in self._index.items()
                if 0 < count < len(segments)
                for entry in entries
                if entry[1][-1][0].pattern == "([^/]+)" and entry[1][-1][1][0] in SLASHED_PARAMETERS
            ]
        else:
            candidates = self._index.get(len(segments), ())
        best = None
        for template, patterns, score in candidates:
            if method not in self.cache["templates"][template]:
                continue
            parts = segments
            if greedy_tail:
                parts = [*segments[: len(patterns) - 1], "/".join(segments[len(patterns) - 1 :])]
                patterns = [*patterns[:-1], (_ANYTHING, patterns[-1][1])]
            params = {}
            for (pattern, names), segment in zip(patterns, parts, strict=True):
                matched = pattern.fullmatch(segment)
                if matched is None:
                    break
                params.update(zip(names, map(unquote, matched.groups()), strict=True))
            else:
                if best is None or score > best[0]:
                    best = (score, template, params)
        return best and best[1:]

    def _methods_at(self, segments):
        methods = set()
        for template, patterns, _score in self._index.get(len(segments), ()):
            if all(pattern.fullmatch(segment) for (pattern, _names), segment in zip(patterns, segments, strict=True)):
                methods.update(self.cache["templates"][template])
        return sorted(methods)

    # --- Validation ---------------------------------------------------------------------
    def operation_for(self, method, url, *, base=None):
        return self.resolve(method, url, base=base)[0]

    def validate_request(self, method, url, headers=None, *, base=None):
        operation, path_params, query = self.resolve(method, url, base=base)
        problems = []
        for name, value in path_params.items():
            declared = operation.parameters("path").get(name)
            if declared is not None:
                problems += _parameter_problems(f"path.{name}", [value], declared)
        declared_query = operation.parameters("query")
        for name, values in query.items():
            if name not in declared_query:
                known = ", ".join(declared_query) or "none"
                problems.append(f"$.query.{name}: undeclared query parameter {name!r} (declared: {known})")
                continue
            problems += _parameter_problems(f"query.{name}", values, declared_query[name])
        for name, declared in declared_query.items():
            if declared.get("required") and name not in query:
                problems.append(f"$.query.{name}: required query parameter {name!r} is missing")
        headers = CaseInsensitiveDict(headers or {})
        for name, declared in operation.parameters("header").items():
            if name in headers:
                problems += _parameter_problems(f"header.{name}", [headers[name]], declared)
            elif declared.get("required"):
                problems.append(f"$.header.{name}: required header {name!r} is missing")
        _fail(f"{operation.name} request {url}", problems)
        return operation

    def validate_response(self, method, url, status, headers, body, *, base=None, missing_ok=()):
        operation, _path_params, _query = self.resolve(method, url, base=base)
        where = f"{operation.name} response {status}"
        declared = operation.response(status)
        if declared is None and not (status == 304 and operation.method == "GET"):
            _fail(where, [f"$: HTTP {status} is not a declared response (declared: {', '.join(operation.statuses)})"])
        declared = declared or {}
        headers = CaseInsensitiveDict(headers or {})
        media = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        is_json = not media or media == "application/json" or media.endswith("+json")
        body = _parsed_body(where, body) if is_json else (body or None)
        problems = []
        for name, header in (declared.get("headers") or {}).items():
            if name in headers:
                problems += _parameter_problems(f"header.{name}", [str(headers[name])], header)
            elif header.get("required"):
                problems.append(f"$.header.{name}: declared header {name!r} is missing")
        if status in REDIRECT_STATUSES and "Location" not in headers:
            problems.append("$.header.Location: a redirect without a Location header")
        schema = operation.response_schema(status) if is_json else None
        if status in (204, 304):
            if body is not None:
                problems.append(f"$: a {status} must have no body")
        elif schema is None:
            if body is not None and not (declared.get("content") or {}):
                problems.append(f"$: HTTP {status} declares no body, but one was sent")
        elif body is None:
            problems.append(f"$: HTTP {status} declares a JSON body, but none was sent")
        else:
            problems += _schema_problems(body, schema, _response_validator(frozenset(missing_ok)))
        _fail(where, problems)
        return operation


# --- Module-level API on api.github.com's description ---------------------------------------
@functools.cache
def description(name="api.github.com"):
    """The description of that name, loaded once per process (ghes-3.19 for Enterprise Server)."""
    return Description(name)


def operation_for(method, url, *, base=None):
    """The Operation a concrete URL (absolute or a path; `/api/v3` or `base` stripped) calls."""
    return description().operation_for(method, url, base=base)


def validate_request(method, url, headers=None, *, base=None):
    """Path and method exist; every query parameter is declared and valid; required ones are sent."""
    return description().validate_request(method, url, headers, base=base)


def validate_response(method, url, status, headers, body, *, base=None, missing_ok=()):
    """The status is declared for the operation; the body matches its schema; headers as declared.
    `body` is parsed JSON, or bytes/str (empty means no body). `missing_ok`: property names that
    may be absent although required (a recording older than the description)."""
    return description().validate_response(method, url, status, headers, body, base=base, missing_ok=missing_ok)


def assert_all_calls_valid(responses_calls, *, base=None, check_responses=False, description_name="api.github.com"):
    """Every request in `responses.calls` validates; with `check_responses`, every answer too.
    Fails once, listing every bad call."""
    spec = description(description_name)
    problems = []
    for number, call in enumerate(responses_calls, 1):
        request, response = call.request, call.response
        try:
            spec.validate_request(request.method, request.url, request.headers, base=base)
            if check_responses and hasattr(response, "status_code"):
                spec.validate_response(
                    request.method, request.url, response.status_code, response.headers, response.content, base=base
                )
        except AssertionError as error:
            problems.append(f"call {number}: {error}")
    if problems:
        raise AssertionError("\n".join(problems))


# --- Helpers ------------------------------------------------------------------------------
def _index_templates(templates):
    """Templates by segment count, each segment a regex whose groups are the parameter names."""
    index = {}
    for template in templates:
        parts = template.strip("/").split("/") if template.strip("/") else []
        patterns = []
        for part in parts:
            pieces = [piece for piece in re.split(r"(\{[^}]+\})", part) if piece]
            names = tuple(piece[1:-1] for piece in pieces if piece.startswith("{"))
            regex = "".join("([^/]+)" if piece.startswith("{") else re.escape(piece) for piece in pieces)
            patterns.append((re.compile(regex), names))
        score = tuple(0 if "{" in part else 1 for part in parts)  # literal segments win
        index.setdefault(len(parts), []).append((template, patterns, score))
    return index


def _relative_path(url, base):
    parts = urlsplit(url)
    path = parts.path or "/"
    if base is not None:
        prefix = (urlsplit(base).path if "://" in base else base).rstrip("/")
        if prefix:
            if path != prefix and not path.startswith(prefix + "/"):
                raise AssertionError(f"{url}: not under the base {base}")
            path = path[len(prefix) :] or "/"
    elif path == ENTERPRISE_PREFIX or path.startswith(ENTERPRISE_PREFIX + "/"):
        path = path[len(ENTERPRISE_PREFIX) :] or "/"
    return path, parts.query


def _with_documented_limits(spec):
    """A copy of an operation where "(max N)" in a parameter's description becomes its maximum."""
    spec = json.loads(json.dumps(spec))
    for parameter in spec.get("parameters", []):
        schema = parameter.get("schema") or {}
        found = _MAX_IN_DESCRIPTION.search(parameter.get("description", ""))
        if found and schema.get("type") == "integer" and "maximum" not in schema:
            schema["maximum"] = int(found.group(1))
    return spec


def _json_media(content):
    for media in content:
        if media == "application/json" or media.endswith("+json"):
            return media
    return None


def _parsed_body(where, body):
    if isinstance(body, bytes | bytearray):
        body = body.decode("utf-8", errors="replace")
    if isinstance(body, str):
        if not body.strip():
            return None
        try:
            return json.loads(body)
        except ValueError:
            _fail(where, [f"$: the body is not JSON: {body[:80]!r}"])
    return body


def _scalar(text, schema):
    kind = schema.get("type")
    if kind == "integer" and re.fullmatch(r"-?\d+", text):
        return int(text)
    if kind == "number":
        try:
            return float(text)
        except ValueError:
            return text
    if kind == "boolean" and text in ("true", "false"):
        return text == "true"
    return text


def _coerced(values, schema):
    """The JSON value that query/path/header strings stand for under a parameter schema."""
    branches = schema.get("oneOf") or schema.get("anyOf")
    if branches and "type" not in schema:
        for branch in branches:
            candidate = _coerced(values, branch)
            if _ParameterValidator(branch, format_checker=oas30_format_checker).is_valid(candidate):
                return candidate
        return values[0] if len(values) == 1 else values
    if schema.get("type") == "array":
        parts = values if len(values) > 1 else values[0].split(",")
        return [_scalar(part, schema.get("items") or {}) for part in parts]
    return _scalar(values[0], schema) if len(values) == 1 else values


def _nullable_enum(validator, enums, instance, schema):
    if instance is None and schema.get("nullable") is True:
        return
    yield from OAS30Validator.VALIDATORS["enum"](validator, enums, instance, schema)


_ParameterValidator = extend(OAS30Validator, {"enum": _nullable_enum})


@functools.cache
def _response_validator(missing_ok):
    if not missing_ok:
        return extend(OAS30ReadValidator, {"enum": _nullable_enum})
    read_required = OAS30ReadValidator.VALIDATORS["required"]

    def required(validator, names, instance, schema):
        yield from read_required(validator, [name for name in names if name not in missing_ok], instance, schema)

    return extend(OAS30ReadValidator, {"enum": _nullable_enum, "required": required})


def _parameter_problems(label, values, declared):
    schema = declared.get("schema") or {}
    if len(values) > 1 and schema.get("type") != "array" and not (schema.get("oneOf") or schema.get("anyOf")):
        return [f"$.{label}: given {len(values)} times ({values})"]
    return _schema_problems(_coerced(values, schema), schema, _ParameterValidator, prefix=f"$.{label}")


def _schema_problems(instance, schema, validator_class, *, prefix="$"):
    validator = validator_class(schema, format_checker=oas30_format_checker)
    errors = sorted(validator.iter_errors(instance), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    problems = []
    for error in errors[:MAX_REPORTED_ERRORS]:
        path = error.json_path.replace("$", prefix, 1)
        message = error.message if len(error.message) <= 240 else error.message[:200] + " … " + error.message[-37:]
        if error.context:  # oneOf/anyOf: say why the closest branch failed
            closest = best_match(error.context)
            message += f" (closest: {closest.json_path.replace('$', prefix, 1)}: {closest.message[:160]})"
        problems.append(f"{path}: {message}")
    if len(errors) > MAX_REPORTED_ERRORS:
        problems.append(f"… and {len(errors) - MAX_REPORTED_ERRORS} more")
    return problems


def _fail(where, problems):
    if problems:
        raise AssertionError(f"{where}:\n  " + "\n  ".join(problems))
