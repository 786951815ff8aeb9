"""Acceptance suite: real, publicly documented episodes recorded as an analyst would (issue 12)."""
