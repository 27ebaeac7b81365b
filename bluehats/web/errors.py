"""Error pages in French, in the DSFR frame."""

from flask import Flask, Response, has_request_context, render_template
from flask.globals import request_ctx
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

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
}
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

    @app.errorhandler(500)
    def server_error(error: Exception):
        return render_error(500)
