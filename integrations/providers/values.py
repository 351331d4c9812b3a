"""Values from a tracker are hostile until stored: this is where they are made storable.

Every provider builds `RemoteTask`, `RemoteProject` and `LinkedAccount` objects, and those call
these functions, so no provider can hand the sync engine a value the database refuses or a link
that runs script: text loses NUL and lone surrogates (PostgreSQL and UTF-8 refuse them), and a URL
is kept only when it is an absolute http(s) URL.
"""

import re
from urllib.parse import urlsplit

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_URL_FORBIDDEN = re.compile(r"[\x00-\x20\x7f]")
SAFE_URL_SCHEMES = ("http", "https")


def clean_text(value: object) -> str:
    """The text without the characters no database column can hold (NUL, lone surrogates)."""
    if value is None:
        return ""
    value = str(value)
    return _UNSTORABLE.sub(lambda match: "" if match.group() == "\x00" else "\ufffd", value)


def safe_url(value: object) -> str:
    """The URL when it is an absolute http(s) URL with a host, otherwise "" (no link is shown)."""
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
