from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.peers.anthropic_server import AnthropicServer
from ticketgen.writers.anthropic import AnthropicWriter
from ticketgen.writers.template import TemplateWriter


@pytest.fixture
def api_key() -> str:
    return f"sk-ant-test-{secrets.token_urlsafe(24)}"


@pytest.fixture
def anthropic_server(api_key: str) -> Iterator[AnthropicServer]:
    with AnthropicServer(api_key=api_key) as server:
        yield server


@pytest.fixture
def make_writer(anthropic_server: AnthropicServer, api_key: str) -> Callable[..., AnthropicWriter]:
    """A writer on the local server, with short backoff so retry tests stay quick."""

    def make(**options: Any) -> AnthropicWriter:
        settings: dict[str, Any] = {
            "api_key": api_key,
            "base_url": anthropic_server.url,
            "backoff_base": 0.05,
            "timeout": 5.0,
            "fallback": TemplateWriter(),
        }
        return AnthropicWriter(**(settings | options))

    return make


@pytest.fixture(scope="session")
def uwec_drafts(uwec_dir) -> list:
    from ticketgen.planner import plan
    from ticketgen.spec import load_dir

    return plan(load_dir(uwec_dir)).drafts
