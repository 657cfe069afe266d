"""Manage: the per-client menu and its pages (Edit, History, each product's pages)."""
