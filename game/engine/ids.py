"""How an id is spelled: in content (node, option, role ids), and in saves and configs that name them.

Kept apart from fields.py so that reading a save (session/log.py) needs no YAML reader."""

import re

ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
VAR_ID = re.compile(r"^[a-z_][a-z0-9_]{0,79}$")
