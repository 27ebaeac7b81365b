"""The organisers' back office under /organisation/: review, answers, programme, exports, mails."""

from . import answers, auth, downloads, mails, privacy, review, schedule, talks, team  # noqa: F401 - routes of bp
from .blueprint import bp

__all__ = ["bp"]
