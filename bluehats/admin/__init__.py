"""The organisers' back office under /organisation/: review, answers, programme, exports, mails."""

from . import answers, auth, downloads, mails, privacy, review, schedule, team  # noqa: F401 - they add routes to bp
from .blueprint import bp

__all__ = ["bp"]
