"""Public pages: announcement, legal pages, calendars, programme, health check."""
