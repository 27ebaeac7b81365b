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


def init_app(app: Flask) -> None:
    """Add the headers to every response."""
    strict_transport = not app.debug and not app.testing

    @app.after_request
    def set_security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if strict_transport:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
