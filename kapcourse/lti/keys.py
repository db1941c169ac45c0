"""RSA key pairs for the tool: generation, public JWKs with a thumbprint kid, and signing."""
from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def generate_private_pem(bits: int = 2048) -> str:
    """A new RSA private key as unencrypted PKCS#8 PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def public_jwk(private_pem: str) -> dict[str, Any]:
    """The public half as a JWK: kty, n, e, kid (RFC 7638 thumbprint), alg RS256, use sig."""
    key = serialization.load_pem_private_key(private_pem.encode("ascii"), password=None)
    numbers = key.public_key().public_numbers()
    core = {"e": _b64(numbers.e), "kty": "RSA", "n": _b64(numbers.n)}
    digest = hashlib.sha256(json.dumps(core, separators=(",", ":"), sort_keys=True).encode()).digest()
    kid = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return {**core, "kid": kid, "alg": "RS256", "use": "sig"}


def sign(claims: dict[str, Any], private_pem: str, kid: str) -> str:
    """Sign claims with RS256, naming the key by kid in the header."""
    return jwt.encode(claims, private_pem, algorithm="RS256", headers={"kid": kid, "typ": "JWT"})


def key_from_jwk(jwk: dict[str, Any]) -> Any:
    """A verification key object from a public JWK dict (RSA only)."""
    return jwt.PyJWK.from_dict(jwk, algorithm="RS256").key
