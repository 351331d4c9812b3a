"""Tracker's search language (fact sheet §5), used by `filter=` and `/search?query=`.

    owner:ana state:started,finished      space means AND
    (type:bug OR label:"security") -state:unscheduled
    mywork:101                           a person's unfinished work
    includedone:true                     accepted stories are hidden without it

People are matched by id, username, initials or full name (quoted). Words without a known
`key:` prefix search story names and descriptions. A person nobody has matches nothing, as in
Tracker; a malformed query (unbalanced parenthesis or quote, unknown state) raises
`QuerySyntaxError`, which the API reports as 400 `invalid_parameter`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from .models import DONE_STATES, STORY_STATES, STORY_TYPES, Person, Story
from .params import parse_time

Predicate = Callable[[Story], bool]


class QuerySyntaxError(ValueError):
    pass


_TOKEN = re.compile(
    r"""(?:
      (?P<open>\()
    | (?P<close>\))
    | (?P<neg>-)(?=[^\s)])
    | (?P<key>[A-Za-z_]+):(?P<value>"[^"]*"|[^\s()"]+)
    | (?P<quoted>"[^"]*")
    | (?P<word>[^\s()"]+)
    )""",
    re.VERBOSE,
)

PERSON_KEYS = {
    "owner": "owner",
    "owned_by": "owner",
    "owners": "owner",
    "requester": "requester",
    "requested_by": "requester",
    "mywork": "mywork",
}
DATE_KEYS = {
    # key: (story attribute, comparison)
    "updated_since": ("updated_at", "since"),
    "updated_after": ("updated_at", "after"),
    "updated_before": ("updated_at", "before"),
    "created_since": ("created_at", "since"),
    "created_after": ("created_at", "after"),
    "created_before": ("created_at", "before"),
    "accepted_since": ("accepted_at", "since"),
    "accepted_after": ("accepted_at", "after"),
    "accepted_before": ("accepted_at", "before"),
}


class StoryQuery:
    """A parsed query: call `matches(story)`; `include_done` tells whether accepted stories count."""

    def __init__(self, text: str, find_person: Callable[[str], Person | None]):
        self.text = text
        self.include_done = False
        self._find_person = find_person
        self._tokens = _tokenize(text)
        self._position = 0
        self._predicate = self._parse_or() if self._tokens else _always
        if self._position != len(self._tokens):
            raise QuerySyntaxError("unbalanced parenthesis")

    def matches(self, story: Story, *, include_done: bool | None = None) -> bool:
        include_done = self.include_done if include_done is None else include_done
        if not include_done and story.current_state in DONE_STATES:
            return False
        return self._predicate(story)

    # Recursive descent: or_expr := and_expr ("OR" and_expr)*; and_expr := unary+; unary := "-"
    # unary | "(" or_expr ")" | term.

    def _peek(self):
        return self._tokens[self._position] if self._position < len(self._tokens) else None

    def _parse_or(self) -> Predicate:
        alternatives = [self._parse_and()]
        while _is_word(self._peek(), "OR"):
            self._position += 1
            alternatives.append(self._parse_and())
        if len(alternatives) == 1:
            return alternatives[0]
        return lambda story: any(alternative(story) for alternative in alternatives)

    def _parse_and(self) -> Predicate:
        parts = []
        while (token := self._peek()) is not None and token[0] != "close" and not _is_word(token, "OR"):
            if _is_word(token, "AND"):
                self._position += 1
                continue
            parts.append(self._parse_unary())
        if not parts:
            raise QuerySyntaxError("empty expression")
        return lambda story: all(part(story) for part in parts)

    def _parse_unary(self) -> Predicate:
        kind, value = self._tokens[self._position]
        self._position += 1
        if kind == "neg":
            inner = self._parse_unary()
            return lambda story: not inner(story)
        if kind == "open":
            inner = self._parse_or()
            if self._peek() is None or self._peek()[0] != "close":
                raise QuerySyntaxError("unbalanced parenthesis")
            self._position += 1
            return inner
        if kind == "term":
            return self._term(*value)
        return _text_predicate(value)

    def _term(self, key: str, value: str) -> Predicate:
        key = key.lower()
        if key in PERSON_KEYS:
            return self._person_term(PERSON_KEYS[key], value)
        if key == "state":
            states = _split(value)
            bad = [state for state in states if state not in STORY_STATES]
            if bad:
                raise QuerySyntaxError(f"unknown state {bad[0]!r}")
            return lambda story: story.current_state in states
        if key in ("type", "story_type"):
            types = [_singular(word) for word in _split(value)]
            bad = [story_type for story_type in types if story_type not in STORY_TYPES]
            if bad:
                raise QuerySyntaxError(f"unknown story type {bad[0]!r}")
            return lambda story: story.story_type in types
        if key == "label":
            wanted = value.lower()
            return lambda story: any(label.lower() == wanted for label in story.labels)
        if key == "id":
            try:
                ids = {int(part) for part in _split(value)}
            except ValueError:
                raise QuerySyntaxError(f"id: needs numbers, got {value!r}") from None
            return lambda story: story.id in ids
        if key == "includedone":
            self.include_done = value.lower() == "true"
            return _always
        if key in DATE_KEYS:
            return _date_term(key, value)
        return _text_predicate(f"{key}:{value}")

    def _person_term(self, role: str, reference: str) -> Predicate:
        person = self._find_person(reference)
        if person is None:
            return lambda story: False
        if role == "requester":
            return lambda story: story.requested_by_id == person.id
        if role == "mywork":
            return lambda story: person.id in story.owner_ids and story.current_state not in DONE_STATES
        return lambda story: person.id in story.owner_ids


def _tokenize(text: str) -> list[tuple[str, object]]:
    tokens, position = [], 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            return tokens
        match = _TOKEN.match(text, position)
        if not match:
            raise QuerySyntaxError(f"cannot read the query near {text[position : position + 15]!r}")
        position = match.end()
        if match.group("key"):
            tokens.append(("term", (match.group("key"), _unquote(match.group("value")))))
        elif match.group("quoted"):
            tokens.append(("text", _unquote(match.group("quoted"))))
        elif match.group("word"):
            tokens.append(("text", match.group("word")))
        else:
            kind = next(name for name in ("open", "close", "neg") if match.group(name))
            tokens.append((kind, None))


def _is_word(token, word: str) -> bool:
    return token is not None and token[0] == "text" and token[1] == word


def _unquote(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value


def _split(value: str) -> list[str]:
    return [part.strip().lower() for part in value.split(",") if part.strip()]


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and word[:-1] in STORY_TYPES else word


def _always(story: Story) -> bool:
    return True


def _text_predicate(text: str) -> Predicate:
    wanted = text.lower()
    return lambda story: wanted in story.name.lower() or wanted in (story.description or "").lower()


def _date_term(key: str, value: str) -> Predicate:
    attribute, comparison = DATE_KEYS[key]
    try:
        bound = parse_time(value)
    except ValueError:
        raise QuerySyntaxError(f"{key}: needs a date, got {value!r}") from None

    def predicate(story: Story) -> bool:
        when: datetime | None = getattr(story, attribute)
        if when is None:
            return False
        if comparison == "since":
            return when >= bound
        if comparison == "after":
            return when > bound
        return when < bound

    return predicate
