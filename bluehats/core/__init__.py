"""The Flask-free core: the edition, dates, French typography, the vocabulary, exports and calendars."""
