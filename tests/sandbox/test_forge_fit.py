"""The FITs the sandbox mints are what Forge documents ("Forge Remote essentials"), signed by a key of the
JWKS it serves, and the add-on's verifier takes them when configured with that key set and app id."""

from __future__ import annotations

import asyncio
from pathlib import Path

import jwt
import requests
from jwt.algorithms import RSAAlgorithm

from app.forge.fit import FitVerifier
from app.forge.jwks import ForgeKeys
from sandbox import SANDBOX_APP_ID
from sandbox.forge_host import ForgeHost

from .conftest import open_site


def test_a_project_page_fit_is_signed_by_the_served_jwks_and_verified_by_the_app(tmp_path: Path) -> None:
    sandbox, thread = open_site(tmp_path, host="forge")
    with thread:
        forge = sandbox.forge
        assert isinstance(forge, ForgeHost)
        extension = {
            "type": "jira:projectPage",
            "project": {"id": "10000", "key": "UWEC", "type": "software"},
        }
        token = forge.fit(
            module_type="jira:projectPage", module_key="ticketgen-project-page", extension=extension,
            principal="557058:someone",
        )  # fmt: skip
        url = f"{sandbox.base_url}/forge/jwks.json"
        (key,) = requests.get(url, timeout=10).json()["keys"]
        assert (key["kty"], key["alg"], key["use"]) == ("RSA", "RS256", "sig")
        assert jwt.get_unverified_header(token)["kid"] == key["kid"]
        claims = jwt.decode(
            token, RSAAlgorithm.from_jwk(key), algorithms=["RS256"], audience=SANDBOX_APP_ID,
            issuer="forge/invocation-token",
        )  # fmt: skip
        assert claims["exp"] - claims["iat"] == 25
        assert claims["app"]["installationId"].startswith("ari:cloud:ecosystem::installation/")
        assert claims["app"]["apiBaseUrl"] == sandbox.base_url
        assert claims["context"]["extension"] == extension and claims["principal"] == "557058:someone"

        verifier = FitVerifier(app_id=SANDBOX_APP_ID, keys=ForgeKeys(url=url), allow_http_api=True)
        invocation = asyncio.run(verifier.verify(token))
        assert (invocation.project_key, invocation.principal) == ("UWEC", "557058:someone")
        assert invocation.installation_id == forge.installation_id
    sandbox.close()


def test_a_trigger_fit_has_no_user_and_no_context(tmp_path: Path) -> None:
    sandbox, thread = open_site(tmp_path, host="forge")
    with thread:
        forge = sandbox.forge
        assert forge is not None
        claims = jwt.decode(forge.fit(), options={"verify_signature": False})
        assert claims["app"]["module"]["type"] == "core:endpoint"
        assert "context" not in claims and "principal" not in claims
    sandbox.close()
