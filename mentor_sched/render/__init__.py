"""Renderings of a Plan (and of a Problem summary): files and terminal text."""
