"""Stores: where the browser edition keeps its players and their games between requests.

One interface (`PlayerStore`), so a classroom server can move from the embedded SQLite file to a
shared PostgreSQL without the pages knowing. Every write is committed before the request that
caused it is answered: a server killed at any moment loses no decision already confirmed.
"""
