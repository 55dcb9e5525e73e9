"""The sandbox's install-signing key pair, generated once and kept in the data dir (like Atlassian's
install-keys service, the public half is published by `kid`)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

KEY_FILE = "sandbox-install-key.pem"


@dataclass(frozen=True, slots=True)
class SigningKey:
    kid: str
    private_pem: bytes
    public_pem: bytes

    @classmethod
    def load_or_create(cls, data_dir: Path) -> SigningKey:
        path = data_dir / KEY_FILE
        if path.exists():
            private = serialization.load_pem_private_key(path.read_bytes(), password=None)
        else:
            data_dir.mkdir(parents=True, exist_ok=True)
            private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            pem = private.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            tmp = path.with_suffix(".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
            tmp.replace(path)
        assert isinstance(private, rsa.RSAPrivateKey)
        public_pem = private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        private_pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        kid = "sandbox-" + hashlib.sha256(public_pem).hexdigest()[:16]
        return cls(kid=kid, private_pem=private_pem, public_pem=public_pem)
