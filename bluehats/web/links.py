"""Absolute links, always built from BLUEHATS_SITE_URL (never from a request's Host), and the private links."""

import base64
import hashlib
import hmac
import re
import secrets
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from ..extensions import db
from ..models import Proposal

_TOKEN = re.compile(r"(\d{1,12})\.([A-Za-z0-9_-]{32})")


def external_url(endpoint: str, **values: Any) -> str:
    """Return the absolute URL of an endpoint at the site's configured address."""
    site = urlsplit(current_app.config["BLUEHATS_SITE_URL"])
    adapter = current_app.url_map.bind(site.netloc, script_name=site.path or "/", url_scheme=site.scheme)
    return adapter.build(endpoint, values, force_external=True)


def new_link_secret() -> str:
    """Return a fresh random secret for a proposal's private link (a new one revokes the old link)."""
    return secrets.token_urlsafe(24)


def proposal_token(proposal: Proposal) -> str:
    """Return the token of a speaker's private link: the id and a MAC of the proposal's secret."""
    if proposal.link_secret is None:
        return legacy_serializer(current_app.config["SECRET_KEY"]).dumps(proposal.id)
    return f"{proposal.id}.{link_mac(proposal.id, proposal.link_secret)}"


def link_mac(proposal_id: int, link_secret: str) -> str:
    """Sign a proposal's id and secret with SECRET_KEY: the database alone cannot make a link."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"bluehats.private-link:{proposal_id}:{link_secret}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:32]


def proposal_from_token(token: str) -> Proposal | None:
    """Return the proposal a private link is for, or None when the link is forged, altered or revoked."""
    match = _TOKEN.fullmatch(token)
    if match:
        proposal = db.session.get(Proposal, int(match.group(1)))
        if proposal is None or proposal.link_secret is None:
            return None
        expected = link_mac(proposal.id, proposal.link_secret)
        return proposal if hmac.compare_digest(expected, match.group(2)) else None
    # Links mailed before per-proposal secrets existed stay valid until the link is renewed once.
    try:
        proposal_id = legacy_serializer(current_app.config["SECRET_KEY"]).loads(token)
    except BadSignature:
        return None
    if not isinstance(proposal_id, int) or isinstance(proposal_id, bool):
        return None
    proposal = db.session.get(Proposal, proposal_id)
    return proposal if proposal is not None and proposal.link_secret is None else None


@lru_cache(maxsize=4)
def legacy_serializer(secret_key: str) -> URLSafeSerializer:
    """Return the signer of the links of the first release (a signed id)."""
    return URLSafeSerializer(secret_key, salt="bluehats.proposal")


def private_url(proposal: Proposal) -> str:
    """Return the speaker's private link."""
    return external_url("proposals.private", token=proposal_token(proposal))


def admin_url(proposal_id: int) -> str:
    """Return the link to a proposal in the organisers' back office."""
    return external_url("admin.proposal_detail", proposal_id=proposal_id)
