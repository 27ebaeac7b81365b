"""What every template can use: French date filters, the current edition, the call's state now, the codes."""

from datetime import date
from typing import Any

from flask import Flask, current_app
from markupsafe import Markup, escape

from ..core import clock
from ..core.content import load_page
from ..core.dates import countdown_holds_until, format_date, format_datetime, format_time
from ..core.edition import Edition, cfp_state
from ..core.typography import french_text, plural
from ..core.vocabulary import (
    AccountLink,
    Change,
    Decision,
    Kind,
    MessageStatus,
    Opinion,
    Publication,
    Standing,
    Status,
)
from .links import external_url


def current_edition() -> Edition:
    """Return the current edition, read from its announcement by create_app()."""
    return current_app.extensions["bluehats.edition"]


def cfp_key(app: Flask) -> tuple:
    """Return what the pages' call-for-talks block shows now (it changes at most once a minute)."""
    now, edition = clock.now(), app.extensions["bluehats.edition"]
    # Worked out again only when it may have changed: a 304 of the announcement spent 5 of its 80 µs on it.
    known_edition, since, until, shown = app.extensions.get("bluehats.cfp_shown", (None, now, now, ()))
    if known_edition is not edition or not since <= now < until:
        shown = cfp_state(edition, now).shown
        app.extensions["bluehats.cfp_shown"] = (edition, now, countdown_holds_until(edition.cfp_deadline, now), shown)
    return (*shown, app.config["BLUEHATS_CFP_PREVIEW"])


def init_app(app: Flask) -> None:
    """Register the filters and the context processor."""
    app.jinja_env.filters["date_fr"] = format_date
    app.jinja_env.filters["time_fr"] = format_time
    app.jinja_env.filters["datetime_fr"] = format_datetime
    app.jinja_env.filters["typo"] = french_text
    app.jinja_env.filters["plural"] = plural
    app.jinja_env.filters["nl2br"] = nl2br
    app.jinja_env.filters["day_fr"] = day_fr
    app.jinja_env.globals["attrs"] = attrs
    app.jinja_env.globals["external_url"] = external_url
    app.jinja_env.globals["form_errors"] = form_errors
    # The footer says the state the accessibility statement declares, which the audit's grid wrote.
    app.jinja_env.globals["accessibility_state"] = load_page("accessibilite").meta["etat"]
    # Templates compare codes with the enums themselves, never with strings.
    app.jinja_env.globals.update(
        AccountLink=AccountLink,
        Change=Change,
        Decision=Decision,
        Kind=Kind,
        MessageStatus=MessageStatus,
        Opinion=Opinion,
        Publication=Publication,
        Standing=Standing,
        Status=Status,
    )

    app.context_processor(edition_context)


def edition_context() -> dict[str, Any]:
    """Return what every page and mail may show of the edition: the edition itself and the state of its call."""
    edition = current_edition()
    return {"edition": edition, "cfp": cfp_state(edition, clock.now())}


def attrs(**values: object) -> dict[str, object]:
    """Return HTML attributes without the unset ones (WTForms would write None as "None")."""
    return {name: value for name, value in values.items() if value is not None}


def form_errors(form: Any) -> list[tuple[str, str, str]]:
    """Return (field id, label, first message) of each field in error, for a form's error summary."""
    if hasattr(form, "error_list"):
        return form.error_list()
    return [
        (field.id + ("-0" if field.type == "ChoiceField" else ""), field.label.text, field.errors[0])
        for field in form
        if field.errors
    ]


def day_fr(key: str | None) -> str:
    """Return a preferred day (YYYY-MM-DD) as « mercredi 6 décembre 2023 », or « Indifférent »."""
    return format_date(date.fromisoformat(key), weekday=True) if key else "Indifférent"


def nl2br(text: str) -> Markup:
    """Escape a text and keep its line breaks as <br>."""
    return Markup("<br>\n").join(escape(line) for line in str(text).splitlines())
