"""The API's JSON parser: DRF's, with nesting bounded (timedoctor/json_limits.py), so a body nested
thousands of levels deep is a 400 with the API's error body, not a RecursionError."""

import codecs

from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils.json import strict_constant

from timedoctor import json_limits


class JSONTooDeep(ParseError):
    api_code = "json_too_deep"


class BoundedJSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = codecs.getreader(encoding)(stream).read()
            parse_constant = strict_constant if self.strict else None
            return json_limits.loads(text, parse_constant=parse_constant)
        except json_limits.JSONTooDeep as error:
            raise JSONTooDeep(str(error)) from None
        except ValueError as error:
            raise ParseError(f"JSON parse error - {error}") from None
