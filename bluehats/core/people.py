"""People as the programme writes them: « Alexis Kauffmann et Philippe Ajuelos (MENJS) »."""

from itertools import groupby
from typing import NamedTuple


class Person(NamedTuple):
    """Someone who presents a talk, and their administration."""

    name: str
    administration: str


def french_list(items: list[str]) -> str:
    """Join « a », « a et b », « a, b et c »."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} et {items[-1]}"


def speakers_line(people: list[Person]) -> str:
    """Write people the French way, each run of the same administration named once after its people."""
    groups = [
        f"{french_list([person.name for person in run])} ({administration})"
        if administration
        else french_list([person.name for person in run])
        for administration, run in (
            (key, list(group)) for key, group in groupby(people, key=lambda p: p.administration)
        )
    ]
    return french_list(groups)
