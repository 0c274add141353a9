"""Keys derived from the installation's one secret key (CERTIFY_SECRET_KEY), one per purpose: a key
for one use (the CSRF tokens, a log-in cookie, the personnummer's HMAC) says nothing about another."""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def derive_key(secret_key: str, purpose: bytes) -> bytes:
    """A 32-byte key per purpose from the one configured secret (HKDF-SHA256)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret_key.encode())
