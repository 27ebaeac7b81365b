"""The event without Flask: French dates, the call's state, French typography."""

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bluehats.core.clock import PARIS
from bluehats.core.dates import countdown_holds_until, format_date, format_datetime, format_left, format_time
from bluehats.core.edition import cfp_state, load_edition, split_call_to_action
from bluehats.core.typography import french_html, french_text

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2022, 10, 18, tzinfo=PARIS), "18 octobre 2022"),
        (datetime(2022, 11, 1, 9, tzinfo=PARIS), "1er novembre 2022"),
        (datetime(2022, 8, 15, tzinfo=PARIS), "15 août 2022"),
        # 23:30 UTC on 17 October is already the 18th in Paris.
        (datetime.fromisoformat("2022-10-17T23:30:00+00:00"), "18 octobre 2022"),
    ],
)
def test_dates_in_french(moment, expected):
    assert format_date(moment).replace(NBSP, " ") == expected


def test_weekday_and_times():
    start = datetime(2022, 11, 8, 9, tzinfo=PARIS)
    assert format_date(start, weekday=True).replace(NBSP, " ") == "mardi 8 novembre 2022"
    assert format_time(start).replace(NBSP, " ") == "9 h"
    assert format_time(start.replace(hour=18, minute=5)).replace(NBSP, " ") == "18 h 05"
    assert format_datetime(start).replace(NBSP, " ") == "8 novembre 2022 à 9 h"


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(days=6, hours=3), "6 jours"),
        (timedelta(hours=47), "47 heures"),
        (timedelta(hours=1, minutes=20), "1 heure"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(seconds=30), "0 minute"),
    ],
)
def test_time_left_in_words(delta, expected):
    assert format_left(delta).replace(NBSP, " ") == expected


def test_cfp_state_around_the_deadline():
    event = load_edition()
    deadline = event.cfp_deadline
    assert deadline == datetime(2022, 10, 18, tzinfo=PARIS)
    before = cfp_state(event, datetime(2022, 10, 16, 23, 59, tzinfo=PARIS))
    assert before.is_open and not before.closing_today
    last_day = cfp_state(event, datetime(2022, 10, 17, 0, 0, tzinfo=PARIS))
    assert last_day.is_open and last_day.closing_today
    last_second = cfp_state(event, deadline - timedelta(seconds=1))
    assert last_second.is_open and last_second.closing_today
    closed = cfp_state(event, deadline)
    assert not closed.is_open and not closed.closing_today
    assert closed.time_left == timedelta(0)
    assert closed.last_day_text.replace(NBSP, " ") == "17 octobre 2022"
    assert closed.deadline_text.replace(NBSP, " ") == "18 octobre 2022"
    assert closed.answer_text.replace(NBSP, " ") == "21 octobre 2022"


def test_event_facts_from_the_front_matter():
    event = load_edition()
    assert event.start == datetime(2022, 11, 8, 9, tzinfo=PARIS)
    assert event.venue == "Palais des congrès de Paris"
    assert event.room == "salle 252B"
    assert event.contact == "logiciels-libres@data.gouv.fr"
    assert event.categories == ("Salon",)
    assert "framaforms" not in event.body_html
    assert 'style="' not in event.body_html


def test_split_call_to_action_drops_only_the_external_form_block():
    body = "Avant.\n\n<div><a href='https://forms.example/x'>Go</a></div>\n\nAprès."
    assert split_call_to_action(body, "https://forms.example/x") == ("Avant.", "Après.")
    assert split_call_to_action(body, None) == (body, "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("curieux : vous", f"curieux{NBSP}: vous"),
        ("bienvenus !", f"bienvenus{NNBSP}!"),
        ("intervenir ?", f"intervenir{NNBSP}?"),
        ("quoi?", f"quoi{NNBSP}?"),
        ("un ; deux", f"un{NNBSP}; deux"),
        ("« texte »", f"«{NBSP}texte{NBSP}»"),
        ("«texte»", f"«{NBSP}texte{NBSP}»"),
        ("https://exemple.fr/a?b=1", "https://exemple.fr/a?b=1"),
        ("10:30", "10:30"),
        ("a &amp; b", "a &amp; b"),
        ("un zoom de 200 %", f"un zoom de 200{NBSP}%"),
        ("20 Mo au plus", f"20{NBSP}Mo au plus"),
        ("15 minutes", f"15{NBSP}minutes"),
        ("à 9 h 30", f"à 9{NBSP}h{NBSP}30"),
        ("20 000 postes", f"20{NNBSP}000 postes"),
        ("loi n° 2005-102", f"loi n°{NBSP}2005-102"),
        ("8 hommes", "8 hommes"),
        ("le 8 novembre 2022", "le 8 novembre 2022"),
    ],
)
def test_french_typography(text, expected):
    assert french_text(text) == expected


def test_typography_spares_tags_attributes_and_code():
    html = '<p>Oui ! <a href="https://a.fr/?x=1" title="Quoi ?">lien ?</a> <code>a ? b</code> <pre>x : y</pre></p>'
    assert french_html(html) == (
        f'<p>Oui{NNBSP}! <a href="https://a.fr/?x=1" title="Quoi ?">lien{NNBSP}?</a> '
        "<code>a ? b</code> <pre>x : y</pre></p>"
    )


@settings(max_examples=500)
@given(
    deadline=st.datetimes(datetime(2022, 1, 1), datetime(2030, 1, 1), timezones=st.just(PARIS)),
    before=st.timedeltas(timedelta(0), timedelta(days=5)),
    later=st.floats(0, 1, exclude_max=True),
)
# Ten seconds before the last day starts, with a deadline at 30 s past a minute: the same count of minutes left
# runs past midnight, when « dernier jour » appears.
@example(deadline=datetime(2022, 10, 18, 0, 0, 30, tzinfo=PARIS), before=timedelta(days=1, seconds=40), later=0.5)
def test_the_countdown_reads_the_same_until_the_moment_it_names(deadline, before, later):
    """What the call's block shows (open, last day, time left) is the same from `now` to the moment given."""
    event = load_edition()
    event = dataclasses.replace(event, cfp_deadline=deadline.astimezone(UTC))
    now = event.cfp_deadline - before
    until = countdown_holds_until(event.cfp_deadline, now)
    assert until > now
    span = min(until - now, timedelta(days=30)) // timedelta(microseconds=1)
    moment = now + timedelta(microseconds=int(span * later))  # rounded down: before `until`
    assert cfp_state(event, moment).shown == cfp_state(event, now).shown
