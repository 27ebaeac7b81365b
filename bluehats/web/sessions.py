"""Flask's signed-cookie sessions, without their cost on the requests that carry none (most public pages)."""

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin


class CookieSessions(SecureCookieSessionInterface):
    """Build the cookie's signer only for a request that carries a session or a response that sets one."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """Return an empty session when the request has no session cookie, else Flask's own."""
        # No Cookie header at all (a first visit, a cache, wrk): not even the cookies are parsed.
        if app.secret_key and (
            "HTTP_COOKIE" not in request.environ or not request.cookies.get(self.get_cookie_name(app))
        ):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Do nothing for a session that was never read nor written (Flask's own would end the same way)."""
        if not session and not session.modified and not session.accessed:
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    """Use these sessions."""
    app.session_interface = CookieSessions()
