"""Giving memory back after a visit or a session: the kiosk after each reset, the window on each
return to the title. glibc keeps freed heap for itself, so a game that runs for weeks, or a lab
PC that plays class after class, would creep upwards while its Python objects stay flat."""

from __future__ import annotations


def release_free_memory() -> None:
    """Collect, then hand freed heap back to the operating system (a no-op without glibc)."""
    import gc

    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
