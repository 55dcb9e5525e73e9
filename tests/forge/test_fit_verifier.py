"""The FIT verifier on its own: Forge rotates its signing keys (a new `kid` makes one refetch; unknown `kid`s
cannot make the app hammer the JWKS; a CDN outage does not lock out keys already known), and a backend bound to
one environment of the app refuses the others."""

from __future__ import annotations

import jwt
import pytest

from app.connect.errors import ApiError, AuthError
from app.forge.fit import FitVerifier
from app.forge.jwks import ForgeKeys
from tests.peers.forge_platform import APP_ID, ForgeSite, new_rsa_key, serve_forge_jwks, sign


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _verifier(url: str, clock: Clock) -> FitVerifier:
    keys = ForgeKeys(url=url, ttl_s=3600, refetch_interval_s=30, clock=clock)
    return FitVerifier(app_id=APP_ID, keys=keys, allow_http_api=True)


async def test_a_new_key_is_fetched_once_and_then_served_from_the_cache() -> None:
    site, clock = ForgeSite(), Clock()
    with serve_forge_jwks(**{"old": new_rsa_key()}) as jwks:
        verifier = _verifier(jwks.url, clock)
        assert (
            await verifier.verify(sign(jwks, site.claims(), kid="old"))
        ).installation_id == site.installation_id
        await verifier.verify(sign(jwks, site.claims(), kid="old"))
        assert jwks.hits == 1  # cached

        clock.now += 31
        jwks.keys["new"] = new_rsa_key()  # Forge publishes a new key and signs with it
        invocation = await verifier.verify(sign(jwks, site.claims(), kid="new"))
        assert invocation.installation_id == site.installation_id and jwks.hits == 2
        await verifier.verify(sign(jwks, site.claims(), kid="new"))
        await verifier.verify(sign(jwks, site.claims(), kid="old"))
        assert jwks.hits == 2


async def test_unknown_kids_refetch_at_most_once_per_interval() -> None:
    site, clock = ForgeSite(), Clock()
    with serve_forge_jwks(**{"k1": new_rsa_key()}) as jwks:
        verifier = _verifier(jwks.url, clock)
        await verifier.verify(sign(jwks, site.claims(), kid="k1"))
        clock.now += 31
        stranger = new_rsa_key()
        for attempt in range(5):
            token = jwt.encode(
                site.claims(), stranger, algorithm="RS256", headers={"kid": f"made-up-{attempt}"}
            )
            with pytest.raises(AuthError) as refused:
                await verifier.verify(token)
            assert refused.value.code == "unknown_kid" and refused.value.status == 401
        assert (
            jwks.hits == 2
        )  # the first unknown kid refetched; the four after it were refused from the cache

        jwks.keys["k2"] = new_rsa_key()  # a genuine rotation inside the interval waits for it to pass
        with pytest.raises(AuthError):
            await verifier.verify(sign(jwks, site.claims(), kid="k2"))
        clock.now += 31
        assert (await verifier.verify(sign(jwks, site.claims(), kid="k2"))).app_id == APP_ID
        assert jwks.hits == 3


async def test_a_retired_key_stays_trusted_only_until_the_set_is_refreshed() -> None:
    site, clock = ForgeSite(), Clock()
    with serve_forge_jwks(**{"old": new_rsa_key(), "new": new_rsa_key()}) as jwks:
        verifier = _verifier(jwks.url, clock)
        await verifier.verify(sign(jwks, site.claims(), kid="old"))
        retired = jwks.keys.pop("old")
        clock.now += 3601  # the cached set expires: the next token fetches the set, which no longer has "old"
        token = jwt.encode(site.claims(), retired, algorithm="RS256", headers={"kid": "old"})
        with pytest.raises(AuthError) as refused:
            await verifier.verify(token)
        assert refused.value.code == "unknown_kid"


async def test_an_outage_keeps_known_keys_and_refuses_only_what_it_cannot_check() -> None:
    site, clock = ForgeSite(), Clock()
    with serve_forge_jwks(**{"k1": new_rsa_key()}) as jwks:
        verifier = _verifier(jwks.url, clock)
        await verifier.verify(sign(jwks, site.claims(), kid="k1"))
        jwks.broken = True
        clock.now += 3601
        assert (await verifier.verify(sign(jwks, site.claims(), kid="k1"))).app_id == APP_ID

    with serve_forge_jwks(**{"k1": new_rsa_key()}) as jwks:
        jwks.broken = True
        cold = _verifier(jwks.url, Clock())
        with pytest.raises(ApiError) as unavailable:
            await cold.verify(sign(jwks, site.claims(), kid="k1"))
        assert unavailable.value.status == 503 and unavailable.value.code == "forge_keys_unavailable"


async def test_a_backend_bound_to_an_environment_refuses_the_apps_other_environments() -> None:
    site = ForgeSite()
    with serve_forge_jwks(**{"k1": new_rsa_key()}) as jwks:
        production = site.claims()
        development = site.claims()  # each call names an environment of its own
        keys = ForgeKeys(url=jwks.url)
        verifier = FitVerifier(
            app_id=APP_ID,
            keys=keys,
            allow_http_api=True,
            environments=(production["app"]["environment"]["id"],),
        )
        assert (await verifier.verify(sign(jwks, production))).app_id == APP_ID
        with pytest.raises(AuthError) as refused:
            await verifier.verify(sign(jwks, development))
        assert refused.value.code == "wrong_environment" and refused.value.status == 401
