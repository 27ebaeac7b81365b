"""The organisers' back office under /organisation/: review, answers, programme, exports, mails."""

from . import answers, auth, downloads, mails, review, schedule, talks  # noqa: F401 - they add their routes to bp
from .blueprint import bp

__all__ = ["bp"]
