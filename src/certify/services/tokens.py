"""Secret tokens for e-mailed links (invitations, password resets).

The link carries a random token from `secrets`; only its SHA-256 is stored, so a reader of the
database cannot use a link. A token is high-entropy, so a plain (unsalted) hash is enough.
"""

from __future__ import annotations

import hashlib
import secrets

MAX_LENGTH = 200
"""Longer input is cut before hashing: a link never carries more, and nothing large is hashed."""


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token[:MAX_LENGTH].encode()).hexdigest()
