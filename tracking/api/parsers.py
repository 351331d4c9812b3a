"""The API's JSON parser: DRF's, with nesting bounded (timedoctor/json_limits.py), so a body nested
thousands of levels deep is a 400 with the API's error body, not a RecursionError."""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from typing import IO, Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils.json import strict_constant

from timedoctor import json_limits


class JSONTooDeep(ParseError):
    api_code = "json_too_deep"


class BoundedJSONParser(parsers.JSONParser):
    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        encoding = parsers.get_encoding(parser_context or {})  # type: ignore[attr-defined]  # not in the stubs
        try:
            text = codecs.getreader(encoding)(stream).read()
            parse_constant = strict_constant if self.strict else None
            return json_limits.loads(text, parse_constant=parse_constant)
        except json_limits.JSONTooDeep as error:
            raise JSONTooDeep(str(error)) from None
        except ValueError as error:
            raise ParseError(f"JSON parse error - {error}") from None
