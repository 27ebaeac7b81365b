"""Exports of proposals: CSV for a French spreadsheet, JSON for programs; no Flask here."""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..models import Proposal

FIELDS = (
    "reference", "status", "created_at", "first_name", "last_name", "email", "administration",
    "job_title", "title", "abstract", "kind", "duration",
)  # fmt: skip
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def proposal_record(proposal: Proposal) -> dict[str, Any]:
    """Return a proposal as the export's columns: the form's field names plus reference, status, created_at."""
    return {
        "reference": proposal.reference,
        "status": proposal.status,
        "created_at": proposal.created_at.isoformat(),
        "first_name": proposal.first_name,
        "last_name": proposal.last_name,
        "email": proposal.email,
        "administration": proposal.administration,
        "job_title": proposal.job_title,
        "title": proposal.title,
        "abstract": proposal.abstract,
        "kind": proposal.kind,
        "duration": proposal.duration,
    }


def neutralise(value: Any) -> Any:
    """Prefix a text that a spreadsheet would read as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_rows(proposals: Iterable[Proposal]) -> Iterator[str]:
    """Yield the CSV text line by line: UTF-8 BOM, « ; » separators, formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(FIELDS)
    yield "\ufeff" + buffer.getvalue()
    for proposal in proposals:
        buffer.seek(0)
        buffer.truncate()
        record = proposal_record(proposal)
        writer.writerow([neutralise(record[name]) for name in FIELDS])
        yield buffer.getvalue()


def json_chunks(proposals: Iterable[Proposal]) -> Iterator[str]:
    """Yield a JSON list of proposal records, one object at a time."""
    yield "["
    for index, proposal in enumerate(proposals):
        yield ("," if index else "") + "\n" + json.dumps(proposal_record(proposal), ensure_ascii=False)
    yield "\n]\n"
