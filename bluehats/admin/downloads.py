"""Downloads for organisers: proposals as CSV or JSON (filtered like the list), accepted speakers' addresses."""

from flask import Response, stream_with_context

from ..core.exports import csv_rows, json_chunks
from ..extensions import db
from ..programme import accepted_talks
from .blueprint import bp
from .queries import filtered, with_export_details
from .review import request_filters


def stream(write, mimetype: str, filename: str) -> Response:
    """Stream the proposals the list's filters select, 100 rows at a time, never all in memory."""
    query = with_export_details(filtered(request_filters()))

    def chunks():
        # Runs while the response is sent, in the request's context pushed again: query here.
        for chunk in write(db.session.scalars(query)):
            yield chunk.encode("utf-8")

    return Response(
        stream_with_context(chunks()),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/export.csv")
def export_csv():
    """Download the filtered proposals as CSV for a French spreadsheet."""
    return stream(csv_rows, "text/csv", "propositions-bluehats.csv")


@bp.get("/export.json")
def export_json():
    """Download the filtered proposals as JSON."""
    return stream(json_chunks, "application/json", "propositions-bluehats.json")


@bp.get("/intervenants.txt")
def speakers_emails():
    """Download the accepted speakers' addresses, one per line (to paste into a mail's Bcc)."""
    addresses = sorted({talk.email for talk in accepted_talks()})
    return Response(
        "".join(f"{address}\n" for address in addresses),
        mimetype="text/plain",
        headers={"Content-Disposition": 'attachment; filename="intervenants-retenus.txt"'},
    )
