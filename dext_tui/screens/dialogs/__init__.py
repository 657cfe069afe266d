"""Dialogs shared by every feature: confirm, refusal, failure, help."""
