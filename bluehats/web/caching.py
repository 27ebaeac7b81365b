"""Pages that do not depend on the visitor: rendered once per state they name, answered 304 when unchanged.

Views call these through Flask's routing; the state key names everything a page shows (the call's state, the
programme's version …), and nothing of the request is part of it, so no visitor can shape another's page.
Public pages carry headers a shared cache (nginx, see deploy/) can keep a minute while browsers revalidate.
"""

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import cache
from pathlib import Path

from flask import Flask, Response, current_app, request
from werkzeug.http import quote_etag

MAX_PAGES = 64  # a few pages times a few states
# Browsers ask again each time (a 304 is cheap); a shared cache may serve a page a minute, and a little
# longer while it fetches the new version in the background.
PUBLIC_CACHE_CONTROL = "public, max-age=0, s-maxage=60, stale-while-revalidate=60"


class PageStore:
    """Rendered pages by state key, least recently used first out."""

    def __init__(self) -> None:
        self.pages: OrderedDict[Hashable, tuple[str, bytes]] = OrderedDict()

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


def render_once(key: Hashable, render: Callable[[], str]) -> bytes:
    """Return a page's body, rendered once per state key in this process."""
    store: PageStore = current_app.extensions["bluehats.pages"]
    return store.get(key, render)[1]


def public_page(key: Hashable, render: Callable[[], str], mimetype: str = "text/html") -> Response:
    """Answer a page that depends only on `key`: 304 if the browser has it, else the body kept for that state."""
    store: PageStore = current_app.extensions["bluehats.pages"]
    etag, body = store.get((request.endpoint, key), render)
    headers = {"ETag": quote_etag(etag), "Cache-Control": PUBLIC_CACHE_CONTROL}
    if etag in request.if_none_match:
        return Response(status=304, headers=headers)
    return Response(body, mimetype=mimetype, headers=headers)


def shared(response: Response) -> Response:
    """Mark a public answer that a shared cache may keep, with an ETag for the browser to revalidate (304)."""
    response.headers["Cache-Control"] = PUBLIC_CACHE_CONTROL
    response.add_etag()
    return response.make_conditional(request)


@cache
def file_hash(path: str) -> str:
    """Return a short hash of a static file's content (computed once per process)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def init_app(app: Flask) -> None:
    """Give each process its page store, and static URLs that change when the file changes."""
    app.extensions["bluehats.pages"] = PageStore()
    static_folder = app.static_folder
    assert static_folder is not None

    @app.url_defaults
    def hashed_static(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values:
            path = Path(static_folder) / values["filename"]
            if path.is_file():
                values["v"] = file_hash(str(path))

    serve_static = app.view_functions["static"]

    def static_file(filename: str) -> Response:
        """Serve a static file; one asked for with its content's hash never changes, so it is cached for good."""
        response = serve_static(filename=filename)
        if request.args.get("v") and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = 31536000
            response.cache_control.immutable = True
        return response

    # In the static view itself, not in an after-request hook that every page would pass through.
    app.view_functions["static"] = static_file
