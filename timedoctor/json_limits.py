"""JSON from outside (the desktop API, webhooks), parsed with a bound on nesting.

`json.loads` recurses once per level: a body like `[[[[…]]]]` a few thousand levels deep raises
RecursionError, which no view expects (a 500), and a few hundred levels are enough to make later
code (a repr, a serializer) recurse too. `loads` refuses both with `JSONTooDeep`, a ValueError,
which callers already answer as "not valid JSON" (400).
"""

import json

MAX_DEPTH = 32


class JSONTooDeep(ValueError):
    def __init__(self, max_depth=MAX_DEPTH):
        super().__init__(f"The JSON is nested more than {max_depth} levels deep.")
        self.max_depth = max_depth


def loads(text, *, max_depth=MAX_DEPTH, **kwargs):
    """`json.loads`, refusing documents nested deeper than `max_depth` arrays and objects."""
    try:
        document = json.loads(text, **kwargs)
    except RecursionError:
        raise JSONTooDeep(max_depth) from None
    check_depth(document, max_depth)
    return document


def check_depth(document, max_depth=MAX_DEPTH):
    """Raises JSONTooDeep when arrays and objects nest deeper than `max_depth` (without recursing)."""
    pending = [(document, 1)] if isinstance(document, (dict, list)) else []
    while pending:
        value, depth = pending.pop()
        children = value.values() if isinstance(value, dict) else value
        if depth > max_depth:
            raise JSONTooDeep(max_depth)
        pending.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return document
