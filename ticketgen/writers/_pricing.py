"""Estimated cost of a run, so a team lead sees what the LLM copy cost next to the token totals.

Prices are USD per million tokens: list prices (standard tier, no batch discount) from the model pages
of https://platform.claude.com/docs/en/models as read in 2026-11. Cache writes (5-minute ephemeral) cost
1.25x the input price and cache reads 0.1x. The first family whose marker occurs in the model id wins;
an unknown model is estimated at Sonnet 4.x prices. Haiku 5.5 is listed "from" its price: the estimate
uses that floor. It is an estimate: the invoice is the reference.
"""

from __future__ import annotations

from ticketgen.drafts.model import Usage

PRICES_AS_OF = "2026-11"
CACHE_WRITE_FACTOR = 1.25
CACHE_READ_FACTOR = 0.1

# (marker in the model id, input $/MTok, output $/MTok); order matters: specific before generic.
PRICES: tuple[tuple[str, float, float], ...] = (
    ("fable", 10.0, 50.0),
    ("mythos", 10.0, 50.0),
    ("opus-5-5", 4.0, 20.0),
    ("opus-5", 5.0, 25.0),
    ("opus-4-0", 15.0, 75.0),
    ("opus-4-1", 15.0, 75.0),
    ("opus-4-2025", 15.0, 75.0),
    ("opus-4", 5.0, 25.0),  # 4.5 to 4.8
    ("opus", 15.0, 75.0),
    ("sonnet-5", 2.0, 10.0),
    ("sonnet", 3.0, 15.0),
    ("haiku-5", 0.1, 0.5),
    ("haiku-4", 1.0, 5.0),
    ("3-5-haiku", 0.8, 4.0),
    ("haiku", 0.25, 1.25),
)
DEFAULT_PRICE = (3.0, 15.0)


def price_of(model: str) -> tuple[float, float]:
    for marker, input_price, output_price in PRICES:
        if marker in model:
            return input_price, output_price
    return DEFAULT_PRICE


def cost_usd(model: str, usage: Usage) -> float:
    input_price, output_price = price_of(model)
    cost = (
        usage.input_tokens * input_price
        + usage.cache_write_tokens * input_price * CACHE_WRITE_FACTOR
        + usage.cache_read_tokens * input_price * CACHE_READ_FACTOR
        + usage.output_tokens * output_price
    )
    return round(cost / 1_000_000, 6)
