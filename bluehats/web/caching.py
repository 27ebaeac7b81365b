"""Caching for pages that do not depend on the visitor: rendered once per state, answered 304 when unchanged."""

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import cache
from pathlib import Path

from flask import Flask, Response, current_app, request
from werkzeug.http import quote_etag
from werkzeug.wrappers import Request

from .security import security_headers

MAX_PAGES = 64  # a few pages times a few states; a bound, since the Host header is part of the key
# Public pages: browsers ask again each time (an ETag makes it a 304), a shared cache such as nginx
# (deploy/nginx.conf) keeps them a minute, then serves the old copy one more minute while it asks again.
CACHE_CONTROL = "public, max-age=0, s-maxage=60, stale-while-revalidate=60"
# Pages that depend on the visitor (a session, a CSRF token, a private link): kept nowhere.
NO_STORE = "private, no-store"


class PageCache:
    """Rendered pages by state key, least recently used first out."""

    def __init__(self) -> None:
        self.pages: OrderedDict[Hashable, tuple[str, bytes]] = OrderedDict()

    def peek(self, key: Hashable) -> tuple[str, bytes] | None:
        """Return (ETag, body) of a page already rendered in this state, or None."""
        return self.pages.get(key)

    def get(self, key: Hashable, render: Callable[[], str]) -> tuple[str, bytes]:
        """Return (ETag, body) of a page, rendering it the first time its state is seen."""
        if key in self.pages:
            self.pages.move_to_end(key)
            return self.pages[key]
        body = render().encode("utf-8")
        entry = (hashlib.sha256(body).hexdigest()[:32], body)
        self.pages[key] = entry
        if len(self.pages) > MAX_PAGES:
            self.pages.popitem(last=False)
        return entry


# The pages served from the cache, by path: their endpoint and what their state depends on.
CACHED_PATHS: dict[str, tuple[str, Callable[[Flask], Hashable]]] = {}


def cached_path(path: str, endpoint: str, state: Callable[[Flask], Hashable]) -> None:
    """Declare that a path's page depends only on `state(app)` (and the host it is asked on)."""
    CACHED_PATHS[path] = (endpoint, state)


def cached_page(key: Hashable, render: Callable[[], str]) -> Response:
    """Answer a page that only depends on `key`: 304 if the browser has it, else the cached body."""
    store: PageCache = current_app.extensions["bluehats.pages"]
    etag, body = store.get((request.endpoint, request.host_url, key), render)
    headers = {"ETag": quote_etag(etag), "Cache-Control": CACHE_CONTROL}
    if etag in request.if_none_match:
        return Response(status=304, headers=headers)
    return Response(body, mimetype="text/html", headers=headers)


class FastPages:
    """WSGI middleware: a page already in the cache is answered here, without going through Flask.

    Only plain GETs of the declared paths, once Flask has rendered them once in this state; the
    answer is byte for byte what cached_page() gives, security headers included.
    """

    def __init__(self, wsgi_app, app: Flask) -> None:
        self.wsgi_app = wsgi_app
        self.app = app
        self.store: PageCache = app.extensions["bluehats.pages"]
        self.headers = security_headers(app)

    def __call__(self, environ, start_response):
        """Answer from the cache when the page is there, else hand over to Flask."""
        route = CACHED_PATHS.get(environ.get("PATH_INFO", ""))
        if route is None or environ["REQUEST_METHOD"] != "GET" or environ.get("QUERY_STRING"):
            return self.wsgi_app(environ, start_response)
        endpoint, state = route
        request_ = Request(environ)
        entry = self.store.peek((endpoint, request_.host_url, state(self.app)))
        if entry is None:
            return self.wsgi_app(environ, start_response)
        etag, body = entry
        headers = [("ETag", quote_etag(etag)), ("Cache-Control", CACHE_CONTROL), *self.headers]
        if etag in request_.if_none_match:
            start_response("304 NOT MODIFIED", headers)
            return []
        start_response(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))), *headers],
        )
        return [body]


@cache
def file_hash(path: str) -> str:
    """Return a short hash of a static file's content (computed once per process)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def init_app(app: Flask) -> None:
    """Give each process its page cache, and static URLs that change when the file changes."""
    app.extensions["bluehats.pages"] = PageCache()
    static_folder = app.static_folder
    assert static_folder is not None

    @app.url_defaults
    def hashed_static(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values:
            path = Path(static_folder) / values["filename"]
            if path.is_file():
                values["v"] = file_hash(str(path))

    @app.after_request
    def long_cache_for_hashed_static(response: Response) -> Response:
        # A static URL carries its content's hash: the file behind it never changes.
        if request.endpoint == "static" and request.args.get("v") and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = 31536000
            response.cache_control.immutable = True
        return response
