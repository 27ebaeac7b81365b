"""The floor: the smallest Flask application, which no Flask page can beat."""

from flask import Flask

app = Flask(__name__)


@app.route("/", defaults={"path": ""}, methods=["GET", "POST"])
@app.route("/<path:path>", methods=["GET", "POST"])
def hello(path: str) -> str:
    """Answer every URL and method alike."""
    return "Hello, World!"
