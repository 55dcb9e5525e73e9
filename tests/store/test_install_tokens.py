"""The used-install-token memory lives in the database: one claim wins, even at once, until it expires."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select

from app.store import Store, new_secret_key
from app.store._utils import utcnow
from app.store.models import UsedInstallTokenRow


async def _kept(store: Store) -> int:
    async with store.engine.connect() as conn:
        return (await conn.execute(select(func.count()).select_from(UsedInstallTokenRow))).scalar_one()


async def test_a_token_is_claimed_once(store: Store) -> None:
    until = utcnow() + timedelta(minutes=5)
    assert await store.claim_install_token("a" * 64, until=until)
    assert not await store.claim_install_token("a" * 64, until=until)
    assert await store.claim_install_token("b" * 64, until=until)


async def test_another_store_on_the_same_database_remembers_the_claim(store: Store, db_url: str) -> None:
    """What a restarted process (or a second one) sees."""
    assert await store.claim_install_token("c" * 64, until=utcnow() + timedelta(minutes=5))
    async with Store(url=db_url, secret_key=new_secret_key()) as restarted:
        assert not await restarted.claim_install_token("c" * 64, until=utcnow() + timedelta(minutes=5))


async def test_simultaneous_claims_of_one_token_have_one_winner(store: Store) -> None:
    until = utcnow() + timedelta(minutes=5)
    results = await asyncio.gather(*(store.claim_install_token("d" * 64, until=until) for _ in range(10)))
    assert sorted(results) == [False] * 9 + [True]


async def test_claims_past_their_time_are_forgotten(store: Store) -> None:
    assert await store.claim_install_token("e" * 64, until=utcnow() - timedelta(seconds=1))
    assert await store.claim_install_token("f" * 64, until=utcnow() + timedelta(minutes=5))
    assert await _kept(store) == 1  # the expired claim was deleted on the way
