"""Public pages: announcement, legal pages, calendars, programme (talk pages, schedule formats), health check."""

# Both modules add their routes to the one public blueprint (views.bp), so both load with the package.
from . import programme, views

__all__ = ["programme", "views"]
