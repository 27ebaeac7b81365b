"""What the site believes of a request: the client's address and scheme from its trusted proxies, nothing more.

A forwarded host or prefix (X-Forwarded-Host, X-Forwarded-Prefix, a SCRIPT_NAME header) is never believed:
links are built from BLUEHATS_SITE_URL, and the path prefix is the one of that address.
"""

from urllib.parse import urlsplit

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


class PinnedPrefix:
    """Set the application's path prefix from configuration, whatever the request says."""

    def __init__(self, wsgi_app, prefix: str) -> None:
        self.wsgi_app = wsgi_app
        self.prefix = prefix

    def __call__(self, environ, start_response):
        """Overwrite SCRIPT_NAME before anything reads it."""
        environ["SCRIPT_NAME"] = self.prefix
        return self.wsgi_app(environ, start_response)


def init_app(app: Flask) -> None:
    """Believe BLUEHATS_TRUSTED_PROXIES proxies for the client's address and scheme; pin the prefix."""
    app.wsgi_app = PinnedPrefix(app.wsgi_app, urlsplit(app.config["BLUEHATS_SITE_URL"]).path.rstrip("/"))
    hops = int(app.config["BLUEHATS_TRUSTED_PROXIES"] or 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)
