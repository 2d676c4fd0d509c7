"""Scenes, one a file: title, role introduction, dialogue, backlog, source, glossary, debrief, settings."""
