"""The engine: content loading, validation, the runner, state and scoring.

It never imports pygame, so the text front end, the tests and the tools can use it alone.
"""
