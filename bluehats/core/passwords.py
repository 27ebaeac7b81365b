"""The organisers' passwords, as ANSSI recommends for such a site: length over complexity, no common password."""

import string
from functools import cache
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 200
# Fewer different characters than this (« aaaaaaaaaaaa », « abababababab ») is a pattern, not a password.
MIN_DISTINCT = 5
COMMON_PASSWORDS = Path(__file__).with_name("common-passwords.txt")
_EDGES = string.digits + string.punctuation + " "


@cache
def common_passwords() -> frozenset[str]:
    """Return the list of common passwords shipped with the site (lower case)."""
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str, email: str = "") -> str | None:
    """Return why a password is refused, in French, or None when it is acceptable."""
    # No composition rule (capitals, digits, symbols): a long passphrase is the advice. Refused: too short,
    # a common password, a common one with digits or symbols around it, the account's own address.
    if len(password) < MIN_LENGTH:
        return f"Le mot de passe doit compter au moins {MIN_LENGTH} caractères (une phrase de plusieurs mots convient)."
    if len(password) > MAX_LENGTH:
        return f"Le mot de passe doit compter au plus {MAX_LENGTH} caractères."
    compact = "".join(password.lower().split())
    core = compact.strip(_EDGES)
    if compact in common_passwords() or core in common_passwords() or not core:
        return "Ce mot de passe fait partie des mots de passe les plus courants : choisissez-en un autre."
    if len(set(compact)) < MIN_DISTINCT:
        return "Ce mot de passe répète trop peu de caractères différents : choisissez-en un autre."
    local_part = email.partition("@")[0].lower()
    if len(local_part) >= 4 and local_part in compact:
        return "Le mot de passe ne doit pas contenir votre adresse électronique."
    return None
