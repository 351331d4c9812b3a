"""The `fields=` parameter: `:default,owners`, `name,owned_by(name)`.

Only what clients of this project need is modelled: `:default`, any attribute of the default
representation, and named associations (owners, requested_by, ...) with optional nested
selections. Unknown field names are ignored rather than rejected, so a client asking for
something the emulator does not model still gets an answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .errors import invalid_parameter

FieldSpec = list[tuple[str, "FieldSpec | None"]]

_TOKEN = re.compile(r"\s*([A-Za-z0-9_:]+|[(),])")
ALWAYS_SHOWN = ("kind", "id")


def parse_fields(text: str | None) -> FieldSpec | None:
    if text is None or text.strip() == "":
        return None
    tokens = _tokenize(text)
    spec, position = _parse_list(tokens, 0)
    if position != len(tokens):
        raise invalid_parameter("fields", "has an unbalanced parenthesis")
    return spec


def select_fields(
    full: dict, spec: FieldSpec | None, associations: dict[str, Callable[[], object]] | None = None
) -> dict:
    """Pick from `full` (the default representation) what `spec` asks for. `kind` and `id`
    always stay, so every object remains identifiable."""
    if spec is None:
        return full
    associations = associations or {}
    selected = {key: full[key] for key in ALWAYS_SHOWN if key in full}
    for name, nested in spec:
        if name == ":default":
            selected.update(full)
            continue
        if name in associations:
            value = associations[name]()
        elif name in full:
            value = full[name]
        else:
            continue
        if value is None:
            continue
        selected[name] = _narrow(value, nested)
    return selected


def _narrow(value, nested: FieldSpec | None):
    if nested is None:
        return value
    if isinstance(value, list):
        return [_narrow(item, nested) for item in value]
    if isinstance(value, dict):
        return select_fields(value, nested)
    return value


def _tokenize(text: str) -> list[str]:
    tokens, position = [], 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match:
            if text[position:].strip() == "":
                break
            raise invalid_parameter("fields", f"cannot be read near {text[position : position + 10]!r}")
        tokens.append(match.group(1))
        position = match.end()
    return tokens


def _parse_list(tokens: list[str], position: int) -> tuple[FieldSpec, int]:
    spec: FieldSpec = []
    while position < len(tokens) and tokens[position] != ")":
        token = tokens[position]
        if token in ",(":
            if token == "(":
                raise invalid_parameter("fields", "has a parenthesis without a field name")
            position += 1
            continue
        position += 1
        nested = None
        if position < len(tokens) and tokens[position] == "(":
            nested, position = _parse_list(tokens, position + 1)
            if position >= len(tokens) or tokens[position] != ")":
                raise invalid_parameter("fields", "has an unbalanced parenthesis")
            position += 1
        spec.append((token, nested))
    return spec, position
