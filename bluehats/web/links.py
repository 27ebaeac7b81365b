"""Absolute links for mails: from the request when there is one, else from BLUEHATS_SITE_URL."""

from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for
from itsdangerous import BadSignature, URLSafeSerializer


def external_url(endpoint: str, **values: Any) -> str:
    """Return the absolute URL of an endpoint, even from a command-line run."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    site = current_app.config["BLUEHATS_SITE_URL"] or "http://127.0.0.1:5000"
    parts = urlsplit(site)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)


def _serializer() -> URLSafeSerializer:
    return serializer_for(current_app.config["SECRET_KEY"])


@lru_cache(maxsize=4)
def serializer_for(secret_key: str) -> URLSafeSerializer:
    """Return the private links' signer for a secret key (built once: it is used on every submission)."""
    return URLSafeSerializer(secret_key, salt="bluehats.proposal")


def proposal_token(proposal_id: int) -> str:
    """Return the signed token of a speaker's private link."""
    return _serializer().dumps(proposal_id)


def proposal_id_from_token(token: str) -> int | None:
    """Return the proposal id a token was signed for, or None when it is forged or altered."""
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def private_url(proposal_id: int) -> str:
    """Return the speaker's private link."""
    return external_url("proposals.private", token=proposal_token(proposal_id))


def admin_url(proposal_id: int) -> str:
    """Return the link to a proposal in the organisers' back office."""
    return external_url("admin.proposal_detail", proposal_id=proposal_id)
