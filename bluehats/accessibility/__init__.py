"""Accessibility: the RGAA 4.1 audit of the site and the statement written from it."""
