"""Proposer une intervention: the form, the confirmation, the speaker's private page."""
