"""Writers fill in the prose of a draft (user story, success criteria, maybe a better summary).

They never touch tables, keys, sources or dependencies: the configuration table is copied from the
spec and must stay exact.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ticketgen.drafts.model import Draft, Usage

Progress = Callable[[int, int, str], None]  # (done, total, draft key)


@dataclass(slots=True)
class WriteResult:
    drafts: list[Draft]
    usage: Usage = field(default_factory=Usage)
    fallbacks: dict[str, str] = field(default_factory=dict)  # draft key -> why its LLM copy was not used

    def __repr__(self) -> str:
        # asyncio.run() on Python 3.11 reprs the finished task, result included, when it restores the
        # SIGINT handler: the default dataclass repr of every draft cost 70 ms per UWEC run
        return f"WriteResult({len(self.drafts)} drafts, {len(self.fallbacks)} fallbacks)"


class Writer(ABC):
    """Base class. Parameters of implementations are keyword-only."""

    name: str

    @abstractmethod
    async def write(
        self, drafts: Sequence[Draft], *, site: str = "", progress: Progress | None = None
    ) -> WriteResult:
        """Return copies of `drafts` with user_story/criteria (and maybe summary) filled and `writer` set.

        `site` is a short description of the whole site (shared context, cacheable).
        Must not raise for one bad draft; fall back per draft instead.
        """
