"""Reading and verifying the Connect JWTs that Jira sends us (HS256 requests, RS256 signed installs).

The order of checks matters: the `alg` is checked before anything else is trusted, the issuer is read
unverified only to find whose secret to verify with, and the QSH is compared after the signature.
"""

from __future__ import annotations

import hmac
import time
from typing import Any
from urllib.parse import quote

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from starlette.requests import HTTPConnection

from app.connect.errors import AuthError
from app.connect.qsh import CONTEXT_QSH, query_string_hash

LEEWAY_SECONDS = 3
_REQUIRED = ["iss", "exp", "qsh"]
# Atlassian signs each lifecycle callback afresh with a lifetime of about 3 minutes; a token issued longer
# ago than this is refused whatever its `exp` says, so its replay memory need not outlive this either.
INSTALL_TOKEN_MAX_AGE_S = 300


def extract_token(request: HTTPConnection) -> str | None:
    """The JWT from `Authorization: JWT …` or `?jwt=`; both present and different is refused."""
    header = request.headers.get("authorization", "")
    from_header = header[4:].strip() if header[:4].lower() == "jwt " else None
    from_query = request.query_params.getlist("jwt")
    if len(from_query) > 1:
        raise AuthError("ambiguous_token", "The request carries more than one jwt query parameter.")
    query_token = from_query[0] if from_query else None
    if from_header and query_token and not hmac.compare_digest(from_header, query_token):
        raise AuthError("ambiguous_token", "The request carries two different tokens (header and query).")
    return from_header or query_token


def read_header(token: str, *, algorithm: str) -> dict[str, Any]:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise AuthError("malformed_token", "The authentication token is not a valid JWT.") from exc
    if header.get("alg") != algorithm:
        raise AuthError("wrong_algorithm", f"Tokens for this route must be signed with {algorithm}.")
    return header


def unverified_issuer(token: str) -> str:
    """Who claims to have signed the token; only used to look up the key to verify it with."""
    read_header(token, algorithm="HS256")
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise AuthError("malformed_token", "The authentication token is not a valid JWT.") from exc
    issuer = claims.get("iss")
    if not isinstance(issuer, str) or not issuer:
        raise AuthError("missing_issuer", "The authentication token does not name its issuer.")
    return issuer


def request_qsh(request: HTTPConnection, *, base_path: str = "") -> str:
    raw_path = request.scope.get("raw_path")
    path = raw_path.decode("latin-1") if raw_path else quote(request.scope["path"])
    query = request.scope.get("query_string", b"").decode("latin-1")
    return query_string_hash(request.scope.get("method", "GET"), path, query, base_path=base_path)


def _check_qsh(claims: dict[str, Any], expected: str, *, allow_context_qsh: bool) -> None:
    qsh = claims.get("qsh")
    if qsh == CONTEXT_QSH:
        if not allow_context_qsh:
            raise AuthError("context_token_not_allowed", "A context token cannot be used to load this page.")
        return
    if not isinstance(qsh, str) or not hmac.compare_digest(qsh, expected):
        raise AuthError("qsh_mismatch", "The token was issued for a different request (query string hash).")


def _decode(
    token: str, key: Any, algorithm: str, *, require: tuple[str, ...] = (), **options: Any
) -> dict[str, Any]:
    try:
        return jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            leeway=LEEWAY_SECONDS,
            options={"require": [*_REQUIRED, *require], "verify_aud": "audience" in options},
            **options,
        )
    except jwt.ExpiredSignatureError as exc:
        raise AuthError("token_expired", "The authentication token has expired; reload the page.") from exc
    except jwt.ImmatureSignatureError as exc:
        raise AuthError("token_from_the_future", "The token was issued in the future (clock skew?).") from exc
    except jwt.InvalidAudienceError as exc:
        raise AuthError("wrong_audience", "The install token was issued for another app address.") from exc
    except jwt.MissingRequiredClaimError as exc:
        raise AuthError("missing_claim", f"The authentication token lacks the '{exc.claim}' claim.") from exc
    except jwt.InvalidSignatureError as exc:
        raise AuthError("bad_signature", "The authentication token's signature does not verify.") from exc
    except jwt.PyJWTError as exc:
        raise AuthError("invalid_token", "The authentication token is not valid.") from exc


def verify_hs256(token: str, secret: str, *, expected_qsh: str, allow_context_qsh: bool) -> dict[str, Any]:
    read_header(token, algorithm="HS256")
    claims = _decode(token, secret, "HS256")
    _check_qsh(claims, expected_qsh, allow_context_qsh=allow_context_qsh)
    return claims


def verify_rs256(token: str, key: RSAPublicKey, *, audiences: list[str], expected_qsh: str) -> dict[str, Any]:
    """A signed install token: `iat` is required (Atlassian always sends it) and must be recent."""
    claims = _decode(token, key, "RS256", require=("iat",), audience=audiences)
    if (
        float(claims["iat"]) + INSTALL_TOKEN_MAX_AGE_S + LEEWAY_SECONDS < time.time()
    ):  # a number: PyJWT checked
        raise AuthError(
            "token_too_old",
            f"The install token was issued more than {INSTALL_TOKEN_MAX_AGE_S // 60} minutes ago; install again.",
        )
    _check_qsh(claims, expected_qsh, allow_context_qsh=False)
    return claims


def install_token_kept_until(claims: dict[str, Any]) -> float:
    """Until when a used install token must stay remembered: after that `verify_rs256` refuses it anyway."""
    return min(float(claims["exp"]), float(claims["iat"]) + INSTALL_TOKEN_MAX_AGE_S) + LEEWAY_SECONDS
