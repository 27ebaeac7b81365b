"""Error pages in French, in the DSFR frame."""

import contextlib
import logging

from flask import Flask, Response, has_request_context, render_template
from flask.globals import request_ctx
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from ..extensions import db

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("Requête incorrecte", "La requête envoyée au site n’a pas pu être comprise."),
    403: ("Accès refusé", "Vous n’avez pas accès à cette page."),
    404: (
        "Page non trouvée",
        "La page que vous cherchez est introuvable. Vérifiez l’adresse ou revenez à l’accueil.",
    ),
    405: ("Méthode non autorisée", "Cette page ne s’utilise pas de cette façon."),
    413: (
        "Envoi trop volumineux",
        "Les informations envoyées dépassent la taille acceptée. Raccourcissez vos textes et réessayez.",
    ),
    429: (
        "Trop de tentatives",
        "Vous avez fait trop de demandes en peu de temps. Patientez quelques minutes avant de réessayer.",
    ),
    500: (
        "Erreur inattendue",
        "Désolé, le site a rencontré un problème. Réessayez dans quelques instants ; "
        "si le problème persiste, écrivez-nous.",
    ),
    503: (
        "Service momentanément indisponible",
        "Le site ne peut pas lire ni enregistrer de données pour le moment. Réessayez dans quelques instants.",
    ),
}
# Seconds a client is asked to wait when the database is out of reach (a restart takes about that long).
RETRY_AFTER = 30
CSRF_MESSAGE = (
    "Le formulaire a expiré ou n’a pas pu être vérifié. Revenez à la page précédente, "
    "rechargez-la et envoyez de nouveau vos informations."
)

UNTRUSTED_HOST = "Requête incorrecte : cette adresse n’est pas celle du site.\n"


def render_error(code: int, message: str | None = None) -> tuple[str | Response, int]:
    """Render the French page of an HTTP error."""
    if has_request_context() and request_ctx.url_adapter is None:
        # The Host header names no address of this site: no link can be built, so no page in the frame.
        return Response(UNTRUSTED_HOST, mimetype="text/plain"), 400
    title, default = MESSAGES.get(code, MESSAGES[500])
    return render_template("error.html", code=code, title=title, message=message or default), code


def database_unavailable(error: Exception) -> bool:
    """Tell whether a database error means "out of reach for now" (restart, lock, full disk) rather than a bug."""
    if isinstance(error, OperationalError | PoolTimeout):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def forget_failed_transaction() -> None:
    """Roll back what the failed request had begun, so that the connection goes back to the pool clean."""
    # The connection may be gone with the server: there is nothing left to roll back then.
    with contextlib.suppress(SQLAlchemyError):
        db.session.rollback()


def unavailable_response(body: str) -> tuple[str, int, dict[str, str]]:
    """Return a 503 answer asking the client to come back in RETRY_AFTER seconds."""
    return body, 503, {"Retry-After": str(RETRY_AFTER)}


def init_app(app: Flask) -> None:
    """Install the error handlers."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(400, CSRF_MESSAGE)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        body, code = render_error(error.code)
        if isinstance(body, Response):
            return body, code
        response = error.get_response()  # keeps the error's own headers (Retry-After, Allow …)
        response.set_data(body)
        response.mimetype = "text/html"
        return response

    @app.errorhandler(DBAPIError)
    @app.errorhandler(PoolTimeout)
    def database_error(error: SQLAlchemyError):
        forget_failed_transaction()
        if not database_unavailable(error):
            raise error  # a fault in the site itself: the 500 page, with its trace in the log
        log.warning("Database unavailable, answered 503: %s", str(error).splitlines()[0])
        return unavailable_response(render_error(503)[0])

    @app.teardown_appcontext
    def close_session(_error: BaseException | None) -> None:
        # Runs before Flask-SQLAlchemy's own session.remove() (teardowns run in reverse order): a server gone
        # since the view ended makes closing the session fail, which would turn a finished answer into a 500.
        if not db.session.registry.has():  # no session was opened: nothing to close
            return
        try:
            db.session.close()
        except SQLAlchemyError as error:
            log.warning("Database unavailable while closing the session: %s", str(error).splitlines()[0])

    @app.errorhandler(500)
    def server_error(error: Exception):
        return render_error(500)
