"""GitHub's page-number pagination: `per_page` (default 30, at most 100) and `page`, with the
`Link` header in GitHub's format and order (prev, next, last, first), absolute URLs that keep
every other query parameter."""

from __future__ import annotations

from urllib.parse import quote, urlencode

DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 100


def positive_int(params: dict[str, str], name: str, default: int) -> int:
    """GitHub ignores a page or per_page it cannot read, or one below 1."""
    try:
        value = int(params.get(name, ""))
    except ValueError:
        return default
    return value if value >= 1 else default


def paginate(items: list, query: list[tuple[str, str]], url: str) -> tuple[list, str | None]:
    """The requested page of `items`, and the Link header (None when everything fits one page).
    `url` is the absolute URL of the resource, without a query."""
    params = dict(query)
    per_page = min(positive_int(params, "per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)
    page = positive_int(params, "page", 1)
    last = -(-len(items) // per_page)
    start = (page - 1) * per_page
    return items[start : start + per_page], link_header(url, query, page, last)


def link_header(url: str, query: list[tuple[str, str]], page: int, last: int) -> str | None:
    if last == 0 or (page == 1 and last == 1):
        return None
    links = []
    if page > 1:
        links.append((page - 1, "prev"))
    if page < last:
        links += [(page + 1, "next"), (last, "last")]
    if page > 1:
        links.append((1, "first"))
    return ", ".join(f'<{page_url(url, query, number)}>; rel="{rel}"' for number, rel in links)


def page_url(url: str, query: list[tuple[str, str]], page: int) -> str:
    pairs = [(key, value) for key, value in query if key != "page"]
    position = next((i for i, (key, _) in enumerate(query) if key == "page"), len(pairs))
    pairs.insert(position, ("page", str(page)))
    return f"{url}?{urlencode(pairs, quote_via=quote)}"
