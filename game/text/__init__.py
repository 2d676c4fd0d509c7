"""The plain-text front end: the whole game in a terminal (accessibility, scripting, tests)."""
