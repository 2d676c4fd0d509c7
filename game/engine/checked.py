"""Content read and checked: `load_scenario` (what the game plays) and `validate_folder` (what
`validate` prints).

Reading (loader.py) and checking (validator.py) know nothing of each other; this module puts them
together, with the cache (cache.py) in front of both when the game asks for it.
"""

from __future__ import annotations

from pathlib import Path

from .diagnostics import ContentError, Diagnostics, Origin
from .loader import load_folder, no_cycle_collection, read_folder
from .model import Scenario


def validate_folder(content: Path, shown_root: str | None = None) -> Diagnostics:
    """Every diagnostic for every scenario in a content folder."""
    from .validator import validate_loaded

    loaded, diags = load_folder(content, shown_root)
    with no_cycle_collection():
        for item in loaded:
            diags.extend(validate_loaded(item))
    return diags


def load_scenario(content: Path, scenario_id: str | None = None, cached: bool = False) -> Scenario:
    """Load, check and return one scenario, or raise ContentError with every diagnostic.

    With `cached`, content that passed every check before (same bytes, same engine) comes from
    the cache in cache.py instead of being parsed and checked again."""
    if cached:
        from . import cache

        scenario = cache.load(content, scenario_id)
        if scenario is not None:
            return scenario
    # Imported only now: the checks (and difflib) are not needed when the cache answered.
    from .validator import validate_loaded

    loaded, diags, root = read_folder(content)
    if scenario_id is not None:
        loaded = [item for item in loaded if item.scenario.id == scenario_id]
        if not loaded and not diags.has_errors:
            diags.add(Origin(str(content)), "E501", "id", ident=scenario_id)
    with no_cycle_collection():
        for item in loaded[:1]:
            diags.extend(validate_loaded(item))
    if diags.has_errors or not loaded:
        raise ContentError(diags.sorted())
    if cached:
        cache.store(content, scenario_id, loaded[0].scenario, root.reads)
    return loaded[0].scenario
