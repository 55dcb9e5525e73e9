"""The QSH canonicaliser against Atlassian's documented examples and the PyPI `atlassian-jwt` package."""

from __future__ import annotations

import hashlib
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.connect.qsh import canonical_path, canonical_query, canonical_request, query_string_hash, url_hash

try:
    from atlassian_jwt.url_utils import canonicalize_request, hash_url
except ImportError as exc:  # pragma: no cover - a missing oracle must fail loudly
    raise ImportError(
        "the QSH oracle needs `atlassian-jwt`: run `.venv/bin/pip install -e '.[dev]'`"
    ) from exc


# Atlassian's "Understanding JWT" / "Query string hash" documentation examples.
@pytest.mark.parametrize(
    ("method", "path", "query", "base_path", "expected"),
    [
        ("GET", "/", "param=foo", "", "GET&/&param=foo"),
        ("POST", "/user", "", "", "POST&/user&"),
        ("get", "/", "", "", "GET&/&"),
        ("GET", "/jira-connector", "", "/jira-connector", "GET&/&"),
        ("GET", "/jira-connector/", "", "/jira-connector", "GET&/&"),
        ("GET", "/jira-connector/issue", "", "/jira-connector", "GET&/issue&"),
        ("GET", "/jira-connector/issue/", "", "/jira-connector", "GET&/issue&"),
        ("GET", "/path/to/service", "", "", "GET&/path/to/service&"),
        ("GET", "/some&path", "", "", "GET&/some%26path&"),
        (
            "GET",
            "/path/to/service",
            "zee_last=param&repeated=parameter 1&first=param&repeated=parameter 2",
            "",
            "GET&/path/to/service&first=param&repeated=parameter%201,parameter%202&zee_last=param",
        ),
        ("GET", "/", "a=x%20y&b=x+y&c=*&d=~&e=/", "", "GET&/&a=x%20y&b=x%20y&c=%2A&d=~&e=%2F"),
        ("GET", "/", "empty=&flag&jwt=abc.def.ghi", "", "GET&/&empty=&flag="),
        ("GET", "/", "b=2&a=1&A=0", "", "GET&/&A=0&a=1&b=2"),
    ],
)
def test_documented_examples(method: str, path: str, query: str, base_path: str, expected: str) -> None:
    assert canonical_request(method, path, query, base_path=base_path) == expected
    assert (
        query_string_hash(method, path, query, base_path=base_path)
        == hashlib.sha256(expected.encode()).hexdigest()
    )


def test_base_path_is_removed_only_at_a_segment_boundary() -> None:
    assert canonical_path("/addonx/page", base_path="/addon") == "/addonx/page"
    assert canonical_path("/addon/page", base_path="/addon/") == "/page"


def test_jwt_is_dropped_and_values_of_a_repeated_name_are_sorted() -> None:
    assert canonical_query("jwt=1&z=b&z=a&z=c") == "z=a,b,c"


def test_url_hash_uses_path_and_query_only() -> None:
    assert url_hash("GET", "https://jira.example/rest/api/3/issue/ABC-1?expand=names") == query_string_hash(
        "GET", "/rest/api/3/issue/ABC-1", "expand=names"
    )


# --- property-based comparison with the oracle --------------------------------------------------------

_SEGMENT_CHARS = string.ascii_letters + string.digits + "-._~!$'()*+,=@&%20"
_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12
)


def _encode_component(text: str) -> str:
    """How a browser/Jira would put arbitrary text into a URL (the oracle only accepts sendable URLs)."""
    from urllib.parse import quote

    return quote(text, safe="")


segments = st.lists(st.text(alphabet=_SEGMENT_CHARS, min_size=1, max_size=8), max_size=4)
params = st.lists(
    st.tuples(
        st.one_of(
            st.sampled_from(["jwt", "xdm_e", "cp", "lic", "tz", "loc", "user_id", "a", "A", "_"]), _TEXT
        ),
        _TEXT,
        st.sampled_from(["pair", "bare", "plus"]),
    ),
    max_size=8,
)


def _query(items: list[tuple[str, str, str]]) -> str:
    parts = []
    for name, value, style in items:
        if style == "bare" and value == "":
            parts.append(_encode_component(name))
        elif style == "plus":
            parts.append(_encode_component(name) + "=" + _encode_component(value).replace("%20", "+"))
        else:
            parts.append(_encode_component(name) + "=" + _encode_component(value))
    return "&".join(parts)


@settings(max_examples=400, deadline=None)
@given(
    method=st.sampled_from(["GET", "post", "Put", "DELETE", "patch"]),
    path_segments=segments,
    trailing=st.booleans(),
    items=params,
)
def test_matches_atlassian_jwt_oracle(
    method: str, path_segments: list[str], trailing: bool, items: list[tuple[str, str, str]]
) -> None:
    path = "/" + "/".join(path_segments) + ("/" if trailing and path_segments else "")
    query = _query(items)
    url = path + ("?" + query if query else "")
    assert canonical_request(method, path, query) == canonicalize_request(method, url)
    assert query_string_hash(method, path, query) == hash_url(method, url)
