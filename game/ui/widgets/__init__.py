"""Widgets, one a file: each knows its rectangle, draws itself, and answers clicks and keys."""
