"""LLM copy for drafts through the Anthropic Messages API, with the template writer as the safety net.

Retries are owned here (see `_retry`), with the SDK's own turned off (`max_retries=0`), because:
- a 429 or 529 speaks for the whole account, not one request: its `retry-after` pauses every request of
  the run (a shared cool-down) instead of letting the other in-flight requests keep hitting the limit,
  which per-request SDK retries cannot do;
- a server's `retry-after` is honoured but capped (`max_wait`): past that, template copy now beats LLM
  copy later (the SDK would wait as long as told);
- every attempt is counted in the run's usage and logged, and failure reasons are built from status
  codes and error types only, so no secret can leak through an exception text.
The SDK is only imported by this module; the pure core never imports it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from anthropic import APIConnectionError, APIStatusError, APITimeoutError, AsyncAnthropic

from ticketgen.drafts.model import Draft, Usage
from ticketgen.markdown import blocks_index
from ticketgen.writers._copy_check import copy_problem, machine_tokens, texts_of
from ticketgen.writers._facts_check import Keep, facts_problem, must_keep, summary_problem
from ticketgen.writers._pricing import cost_usd
from ticketgen.writers._prompt import (
    INSTRUCTIONS,
    TOOL,
    TOOL_NAME,
    NoCopy,
    copies_from,
    site_context,
    ticket_data,
    ticket_message,
)
from ticketgen.writers._retry import (
    FATAL_STATUSES,
    PAUSING_STATUSES,
    Backoff,
    CoolDown,
    error_type,
    retry_after,
    retryable,
)
from ticketgen.writers._utils import distinct
from ticketgen.writers.template import TemplateWriter
from ticketgen.writers.writer import Progress, Writer, WriteResult

log = logging.getLogger(__name__)

DEFAULT_MODEL = "claude-sonnet-5-5"  # same default as app.config.Config.anthropic_model
PRODUCT_BATCH_SIZE = 4
MAX_TOKENS_PER_TICKET = 8192  # up to 120 criteria (several per field on the largest fields tickets)


class CopyWriter(Protocol):
    """What a fallback must offer; `TemplateWriter` does."""

    def copy_for(self, draft: Draft) -> tuple[str, list[str]]: ...


@dataclass(frozen=True, slots=True)
class _Brief:
    """One ticket's side of a run: the template copy (the facts the LLM phrases, and the fallback), the
    names its criteria must keep, and the data the prompt carries."""

    story: str
    criteria: list[str]
    keep: list[Keep]
    data: dict[str, Any]
    source: str  # the data's text, to tell quoted spec wording from invented placeholders


@dataclass(slots=True)
class _Run:
    """State of one `write` call; a writer may serve many runs."""

    client: AsyncAnthropic
    slots: asyncio.Semaphore
    system: list[dict[str, Any]]
    site_tokens: set[str]
    total: int
    progress: Progress | None
    cool_down: CoolDown
    briefs: dict[str, _Brief]
    usage: Usage = field(default_factory=Usage)
    fallbacks: dict[str, str] = field(default_factory=dict)
    stopped: str | None = None  # a fatal reason: later requests are not even sent
    done: int = 0

    def finished(self, key: str) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total, key)


class AnthropicWriter(Writer):
    """Parameters:
    api_key: Anthropic API key (never logged, never in `repr`).
    model: model id.
    base_url: API root; None for the SDK default (tests point it at a local server).
    max_concurrency: requests in flight at once.
    max_retries: retries of one request after 429, 5xx, 529, a timeout or a connection error.
    timeout: seconds allowed for one attempt.
    batch_size: tickets per request (fewer requests against per-minute request limits).
    backoff_base, backoff_max: exponential backoff (with jitter) in seconds, when no retry-after is given.
    max_wait: the longest retry-after worth waiting for; beyond it the batch falls back at once.
    fallback: writes the copy the LLM could not (default: the template writer).
    """

    name = "llm"

    def __init__(
        self,
        *,
        api_key: str,
        model: str = DEFAULT_MODEL,
        base_url: str | None = None,
        max_concurrency: int = 8,
        max_retries: int = 4,
        timeout: float = 60.0,
        batch_size: int = 1,
        backoff_base: float = 0.5,
        backoff_max: float = 20.0,
        max_wait: float = 60.0,
        fallback: CopyWriter | None = None,
    ) -> None:
        if not api_key:
            raise ValueError("AnthropicWriter needs an API key (set ANTHROPIC_API_KEY)")
        if max_concurrency < 1 or batch_size < 1 or max_retries < 0 or timeout <= 0:
            raise ValueError("max_concurrency and batch_size must be >= 1, max_retries >= 0, timeout > 0")
        self._api_key = api_key
        self.model = model
        self.base_url = base_url or None
        self.max_concurrency = max_concurrency
        self.max_retries = max_retries
        self.timeout = timeout
        self.batch_size = batch_size
        self.backoff = Backoff(base=backoff_base, cap=backoff_max)
        self.max_wait = max_wait
        self.fallback = fallback if fallback is not None else TemplateWriter()

    @classmethod
    def from_config(
        cls, config: Any, *, fallback: CopyWriter | None = None, **options: Any
    ) -> AnthropicWriter:
        """From an `app.config.Config` (duck-typed, so the core never imports the app).

        Product runs send four tickets per request: a quarter of the requests against per-minute limits,
        and the UWEC set well inside its 30 s budget at 1.5 s a request."""
        options.setdefault("batch_size", PRODUCT_BATCH_SIZE)
        return cls(
            api_key=config.anthropic_api_key,
            model=config.anthropic_model or DEFAULT_MODEL,
            base_url=config.anthropic_base_url or None,
            fallback=fallback,
            **options,
        )

    def __repr__(self) -> str:
        return (
            f"AnthropicWriter(model={self.model!r}, base_url={self.base_url!r}, "
            f"max_concurrency={self.max_concurrency}, batch_size={self.batch_size})"
        )

    async def write(
        self, drafts: Sequence[Draft], *, site: str = "", progress: Progress | None = None
    ) -> WriteResult:
        drafts = list(drafts)
        if not drafts:
            return WriteResult([])
        system = [
            {"type": "text", "text": INSTRUCTIONS},
            {"type": "text", "text": site_context(drafts, site), "cache_control": {"type": "ephemeral"}},
        ]
        site_tokens = machine_tokens([site, *(t for d in drafts for t in (d.key, d.summary))])
        briefs = self._briefs(drafts)
        batches = [drafts[i : i + self.batch_size] for i in range(0, len(drafts), self.batch_size)]
        async with AsyncAnthropic(
            api_key=self._api_key, base_url=self.base_url, max_retries=0, timeout=self.timeout
        ) as client:
            run = _Run(
                client,
                asyncio.Semaphore(self.max_concurrency),
                system,
                site_tokens,
                len(drafts),
                progress,
                CoolDown(jitter=self.backoff.base),
                briefs,
            )
            # The first request alone writes the prompt cache, so the others read it instead of each
            # paying to write it again.
            written = [await self._write_batch(run, batches[0])]
            written += await asyncio.gather(*(self._write_batch(run, b) for b in batches[1:]))
        run.usage.cost_usd = cost_usd(self.model, run.usage)
        log.info(
            "LLM copy: %d drafts, %d fallbacks, %d requests, %d+%d tokens in/out, cache %d read %d written, $%.4f",
            len(drafts),
            len(run.fallbacks),
            run.usage.requests,
            run.usage.input_tokens,
            run.usage.output_tokens,
            run.usage.cache_read_tokens,
            run.usage.cache_write_tokens,
            run.usage.cost_usd,
        )
        return WriteResult([d for batch in written for d in batch], run.usage, run.fallbacks)

    def _briefs(self, drafts: list[Draft]) -> dict[str, _Brief]:
        """Each draft's template copy, the names its criteria must keep and its prompt data. Roles and
        bundles come from the whole run: a permission note on one ticket names another ticket's role."""
        ids = {(d.kind, d.key.partition(":")[2]) for d in drafts}
        roles = {i for kind, i in ids if kind == "user_role"}
        bundles = {i.rpartition(".")[2] for kind, i in ids if kind in ("bundle", "fields", "display")}
        blocks = blocks_index(drafts)
        briefs = {}
        for draft in drafts:
            story, criteria = self.fallback.copy_for(draft)
            keep = must_keep(draft, baseline=criteria, roles=roles, bundles=bundles)
            data = ticket_data(
                draft,
                blocks=blocks.get(draft.key, ()),
                baseline=criteria,
                must_keep=[k.names[0] for k in keep],
            )
            briefs[draft.key] = _Brief(story, list(criteria), keep, data, "\n".join(texts_of(data)))
        return briefs

    async def _write_batch(self, run: _Run, batch: list[Draft]) -> list[Draft]:
        reason = "missing from the response"
        try:
            copies = copies_from(await self._send(run, batch))
        except NoCopy as failed:
            copies, reason = {}, failed.reason
        except Exception as exc:  # an SDK surprise or a bug costs this batch its LLM copy, never the run
            copies, reason = {}, f"unexpected {type(exc).__name__}"
        written = []
        for draft in batch:
            copy = copies.get(draft.key)
            brief = run.briefs[draft.key]
            known = run.site_tokens | machine_tokens(texts_of(brief.data))
            problem = reason if copy is None else copy_problem(copy, known=known, source=brief.source)
            if not problem:
                problem = facts_problem(copy["success_criteria"], brief.keep)
            written.append(self._fall_back(run, draft, problem) if problem else _with_copy(draft, copy))
            run.finished(draft.key)
        return written

    async def _send(self, run: _Run, batch: list[Draft]) -> Any:
        params: dict[str, Any] = {
            "model": self.model,
            "max_tokens": MAX_TOKENS_PER_TICKET * len(batch),
            "system": run.system,
            "tools": [TOOL],
            "tool_choice": {"type": "tool", "name": TOOL_NAME, "disable_parallel_tool_use": True},
            "messages": [
                {
                    "role": "user",
                    "content": ticket_message(batch, {d.key: run.briefs[d.key].data for d in batch}),
                }
            ],
        }
        keys = ", ".join(d.key for d in batch)
        for attempt in range(self.max_retries + 1):
            if run.stopped:
                raise NoCopy(run.stopped)
            after: float | None = None
            try:
                async with run.slots:
                    await run.cool_down.wait()  # checked with a slot in hand: right before sending
                    run.usage.requests += 1
                    message = await run.client.messages.create(**params)
            except APIStatusError as err:
                reason = f"HTTP {err.status_code} {error_type(err.body)}"
                if err.status_code in FATAL_STATUSES:
                    run.stopped = reason
                if not retryable(err.status_code):
                    raise NoCopy(reason) from None
                after = retry_after(err.response.headers)
                if after is not None and err.status_code in PAUSING_STATUSES:
                    run.cool_down.pause(min(after, self.max_wait))
            except APITimeoutError:
                reason = f"timed out after {self.timeout:g} s"
            except APIConnectionError:
                reason = "connection failed"
            else:
                _count(run.usage, message.usage)
                return message
            if attempt == self.max_retries:
                raise NoCopy(f"{reason}; gave up after {attempt + 1} attempts")
            if after is not None and after > self.max_wait:
                raise NoCopy(f"{reason}; retry-after {after:g} s exceeds max_wait {self.max_wait:g} s")
            delay = self.backoff.delay(attempt, after)
            log.warning(
                "LLM request for %s: %s; retry %d/%d in %.2f s",
                keys,
                reason,
                attempt + 1,
                self.max_retries,
                delay,
            )
            await asyncio.sleep(delay)
        raise AssertionError("unreachable")

    def _fall_back(self, run: _Run, draft: Draft, reason: str) -> Draft:
        brief = run.briefs[draft.key]
        run.fallbacks[draft.key] = reason
        log.warning("LLM copy for %s not used (%s); template copy instead", draft.key, reason)
        return replace(draft, user_story=brief.story, criteria=list(brief.criteria), writer="fallback")


def _with_copy(draft: Draft, copy: Mapping[str, Any]) -> Draft:
    """The LLM's story and criteria; its summary only when it keeps the planner's counts and verbs. Questions,
    links, tables and build-and-verify facts stay the draft's own."""
    summary = (copy.get("summary") or "").strip()
    refused = summary and summary_problem(draft.summary, summary)
    if refused:
        log.info("LLM summary for %s not used (%s)", draft.key, refused)
    return replace(
        draft,
        user_story=copy["user_story"].strip(),
        criteria=distinct(copy["success_criteria"]),
        summary=summary if summary and not refused else draft.summary,
        writer="llm",
    )


def _count(usage: Usage, reported: Any) -> None:
    usage.input_tokens += reported.input_tokens or 0
    usage.output_tokens += reported.output_tokens or 0
    usage.cache_write_tokens += getattr(reported, "cache_creation_input_tokens", None) or 0
    usage.cache_read_tokens += getattr(reported, "cache_read_input_tokens", None) or 0
