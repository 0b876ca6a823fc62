"""The API's JSON parser: DRF's, with a limit on how deeply a request body may nest.

Python's ``json`` recurses once per level, so ``[[[[...]]]]`` a thousand deep raised
RecursionError, answered as a 500 to anyone, signed in or not. No request this API accepts nests
more than a few levels, so the body is scanned for its depth first (iteratively, strings skipped)
and anything deeper than ``MAX_JSON_DEPTH`` is a 400 before ``json`` sees it.
"""

import codecs
import re

from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

MAX_JSON_DEPTH = 20
TOO_DEEP = f"JSON parse error - nested more than {MAX_JSON_DEPTH} levels deep."

# A JSON string, escapes included (the "unrolled loop" form: linear, no backtracking).
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def json_nesting_exceeds(text: str, limit: int) -> bool:
    """Whether an array or object in ``text`` sits more than ``limit`` levels deep (brackets inside
    strings do not count; malformed text is left for the parser to refuse)."""
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub("", text)):
        if bracket.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


class JSONParser(parsers.JSONParser):
    """``DEFAULT_PARSER_CLASSES`` names this one in place of DRF's."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = codecs.getreader(encoding)(stream).read()
        except ValueError as exc:  # UnicodeDecodeError among them
            raise ParseError(f"JSON parse error - {exc}") from exc
        if json_nesting_exceeds(text, MAX_JSON_DEPTH):
            raise ParseError(TOO_DEEP)
        try:
            return json.loads(text, parse_constant=json.strict_constant if self.strict else None)
        except RecursionError as exc:  # not within the limit; should the scan ever miss, still a 400
            raise ParseError(TOO_DEEP) from exc
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
