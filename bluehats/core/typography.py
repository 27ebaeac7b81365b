"""French typography for rendered HTML: non-breaking spaces before « : ; ! ? % », units, inside guillemets."""

import re

NBSP = "\u00a0"
NNBSP = "\u202f"  # espace fine insécable, before ; ! ?

# Text inside these elements is code or machine-read: left exactly as written.
_UNTOUCHED = {"code", "pre", "kbd", "samp", "script", "style", "textarea"}
_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")

# Units a number is glued to (whole words, so that « 8 h » is and « 8 hommes » is not).
UNITS = (
    "Mo", "Go", "ko", "Ko", "To", "min", "h", "s", "px", "pixels", "minutes", "heures", "secondes", "jours",
    "caractères", "km", "m", "cm", "mm", "kg", "g", "ans", "mois",
)  # fmt: skip

_RULES = (
    # An ordinary space (or none) before the punctuation becomes non-breaking; an HTML
    # entity such as "&amp;" is matched first and kept, so that its ";" stays glued.
    (
        re.compile(r"(&#?\w+;)|[ \u00a0\u202f]*([;!?])(?=\s|$|[»)\]])"),
        lambda m: m.group(1) or NNBSP + m.group(2),
    ),
    (re.compile(r"(?<=\S)[ \u00a0\u202f]+:(?=\s|$)"), NBSP + ":"),
    (re.compile(r"«[ \u00a0\u202f]*"), "«" + NBSP),
    (re.compile(r"[ \u00a0\u202f]*»"), NBSP + "»"),
    # A number never leaves its unit alone at the start of a line: « 200 % », « 20 Mo », « 15 minutes ».
    (re.compile(r"(?<=\d)[ \u202f](?=[%‰€]|°C|(?:" + "|".join(UNITS) + r")\b)"), NBSP),
    # Nor is it split at its thousands: « 20 000 postes ».
    (re.compile(r"(?<=\d)[ \u00a0](?=\d{3}(?:[ \u00a0\u202f]\d{3})*(?!\d))"), NNBSP),
    (re.compile(r"(?<=\d\u00a0h) (?=\d\d\b)"), NBSP),
    (re.compile(r"\bn°[ \u202f]*(?=\d)"), "n°" + NBSP),
)


def french_text(text: str) -> str:
    """Apply French spacing rules to a run of plain text."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def french_html(html: str) -> str:
    """Apply French spacing rules to the text of an HTML fragment, never to tags, attributes or code."""
    out: list[str] = []
    depth = 0
    for piece in _TAG.split(html):
        if piece.startswith("<"):
            match = _TAG_NAME.match(piece)
            if match and match.group(2).lower() in _UNTOUCHED:
                depth += -1 if match.group(1) else 1
                depth = max(depth, 0)
            out.append(piece)
        elif depth:
            out.append(piece)
        else:
            out.append(french_text(piece))
    return "".join(out)


def plural(count: int, singular: str, several: str | None = None) -> str:
    """Return « 1 réponse », « 3 réponses », « 0 réponse » (French: the plural starts at 2)."""
    word = singular if abs(count) < 2 else several or " ".join(part + "s" for part in singular.split(" "))
    return f"{count} {word}"
