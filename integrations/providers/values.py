"""Values from a tracker are hostile until stored: this is where they are made storable.

Every provider builds `RemoteTask`, `RemoteProject` and `LinkedAccount` objects, and those call
these functions, so no provider can hand the sync engine a value the database refuses or a link
that runs script: text loses NUL and lone surrogates (PostgreSQL and UTF-8 refuse them), and a URL
is kept only when it is an absolute http(s) URL.

A sync cleans every text of every item, so the common case (ASCII text, a plain http(s) link) is
answered without the general path; both paths give the same answer (tests/integrations/test_values.py).
"""

import re
from urllib.parse import urlsplit

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_URL_FORBIDDEN = re.compile(r"[\x00-\x20\x7f]")
SAFE_URL_SCHEMES = ("http", "https")
# An http(s) URL whose host is plain letters, digits, dots and hyphens (an optional port) and whose
# rest is printable ASCII: what urlsplit would accept with that scheme and a host, decided at once.
_PLAIN_URL = re.compile(r"[hH][tT][tT][pP][sS]?://[A-Za-z0-9.-]+(?::[0-9]*)?(?:[/?#][!-~]*)?")


def clean_text(value: object) -> str:
    """The text without the characters no database column can hold (NUL, lone surrogates)."""
    if value is None:
        return ""
    if type(value) is not str:
        value = str(value)
    if value.isascii():  # no surrogate can be there; only NUL is unstorable
        return value.replace("\x00", "") if "\x00" in value else value
    return _UNSTORABLE.sub(lambda match: "" if match.group() == "\x00" else "\ufffd", value)


def safe_url(value: object) -> str:
    """The URL when it is an absolute http(s) URL with a host, otherwise "" (no link is shown)."""
    if type(value) is str and _PLAIN_URL.fullmatch(value):
        return value
    value = clean_text(value).strip()
    if not value or _URL_FORBIDDEN.search(value):
        return ""
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    if parts.scheme.lower() not in SAFE_URL_SCHEMES or not parts.hostname:
        return ""
    return value
