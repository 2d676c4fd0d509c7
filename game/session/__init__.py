"""The play-session layer: one session of one or two players, shared by every front end.

It sits on the engine and knows nothing of pygame or the web: role and path, whose turn it is,
going back, the lock, the autosave (an append-only log of choices, restored by replay) and the
results row (finished, cut short, resumed: exactly one row a session).
"""
