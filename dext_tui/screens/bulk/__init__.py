"""Bulk actions on the marked clients: the Bulk menu, and the preview shown before any
bulk change or undo is written (spec 14)."""
