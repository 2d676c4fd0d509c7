"""The pseudo-role of two players at one table, both sides at once: one name for it in every layer
(kept apart so that the command line can name it without loading the engine)."""

BOTH = "both"
