"""Renderers: the same Answer as plain text, JSON or Block Kit."""
