"""Security headers, set by the application itself (Flask-Talisman's defaults break DSFR)."""

from flask import Flask, Response

# DSFR draws some of its icons as data: images; no inline script or style is allowed.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'"
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"


def security_headers(app: Flask) -> list[tuple[str, str]]:
    """Return the headers every answer carries (HSTS only outside debug and tests, which use plain http)."""
    headers = list(HEADERS.items())
    if not app.debug and not app.testing:
        headers.append(("Strict-Transport-Security", HSTS))
    return headers


def init_app(app: Flask) -> None:
    """Add the headers to every response."""
    headers = security_headers(app)

    @app.after_request
    def set_security_headers(response: Response) -> Response:
        # One look for the first header, then one extend: this runs on every answer.
        if "Content-Security-Policy" not in response.headers:
            response.headers.extend(headers)
        return response
