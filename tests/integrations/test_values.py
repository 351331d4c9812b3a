"""Hostile values: `clean_text` and `safe_url` answer the common case (ASCII text, a plain http(s)
link) without their general path; here both are held to the general rule on any input."""

import re
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integrations.providers.values import clean_text, safe_url


def general_clean_text(value):
    """The rule: NUL goes, a lone surrogate becomes U+FFFD, everything else stays."""
    if value is None:
        return ""
    return re.sub("[\x00\ud800-\udfff]", lambda match: "" if match.group() == "\x00" else "\ufffd", str(value))


def general_safe_url(value):
    """The rule: an absolute http(s) URL with a host and no control character or space, else ""."""
    value = general_clean_text(value).strip()
    if not value or re.search(r"[\x00-\x20\x7f]", value):
        return ""
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    return value if parts.scheme.lower() in ("http", "https") and parts.hostname else ""


URL_PIECES = st.sampled_from(
    ["http", "https", "HTTP", "hTTps", "javascript", "data", "ftp", ":", "//", "/", "?", "#", "@", "[", "]", "::1",
     "example.com", "a.b-c", ".", "-", "0", "8080", " ", "\t", "\x00", "\x7f", "\ud800", "é", "ｅxample", "%00",
     "<script>", "'", '"', "\\", "user:pass", "xn--bcher-kva.ch"]
)  # fmt: skip
PIECES = st.lists(URL_PIECES, max_size=8).map("".join)
URLS = st.one_of(
    st.text(),
    PIECES,
    # shaped like a link: scheme, "://", a host, then anything
    st.tuples(st.sampled_from(["http", "https", "HTTPS", "ftp"]), st.just("://"), PIECES, PIECES, st.text()).map(
        "".join
    ),
)


@given(st.one_of(st.none(), st.text(), st.integers(), st.binary().map(lambda data: data.decode("latin-1"))))
def test_clean_text_follows_the_rule_on_any_value(value):
    assert clean_text(value) == general_clean_text(value)


@settings(max_examples=2000, deadline=None)
@given(URLS)
def test_safe_url_follows_the_rule_on_any_text(value):
    assert safe_url(value) == general_safe_url(value)


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("https://www.pivotaltracker.com/story/show/187654001", True),
        ("HTTP://Example.com:8080/a?b=c#d", True),
        ("http://127.0.0.1:8111/n/projects/1/stories/2", True),
        ("https://github.com/acme/web/issues/7?x=[1]", True),
        ("javascript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("https://", False),
        ("https:///path-without-host", False),
        ("http://exa mple.com", False),
        ("http://example.com/a b", False),
        ("http://example.com/\x01", False),
        ("http://[::1", False),
        ("//example.com/no-scheme", False),
    ],
)
def test_safe_url_keeps_only_absolute_http_links_with_a_host(value, kept):
    assert safe_url(value) == (value if kept else "")


def test_a_nul_in_a_link_is_dropped_like_in_any_text():
    assert safe_url("http://example.com/a\x00b") == "http://example.com/ab"


def test_clean_text_drops_nul_and_replaces_lone_surrogates_in_ascii_and_other_text():
    assert clean_text("a\x00b") == "ab"
    assert clean_text("é\x00\ud800") == "é\ufffd"
    assert clean_text(12) == "12"
