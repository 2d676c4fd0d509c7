"""Small PNG files made by code, for the fixtures and the broken cases (no downloaded images).

`banded` writes a flag of horizontal bands; `claiming` writes a valid-looking header that claims
any size, the way a decompression bomb does. The mini fixture's flag is `banded(*MINI_FLAG)`
(tests/test_presentation.py checks the committed file is exactly that).
"""

from __future__ import annotations

import struct
import zlib

# The mini scenario's flag: 24 × 16 pixels, three bands (tea, milk, tea).
MINI_FLAG = (24, 16, ((140, 82, 40), (238, 226, 200), (140, 82, 40)))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def banded(width: int, height: int, colours: tuple[tuple[int, int, int], ...]) -> bytes:
    """An RGB PNG of equal horizontal bands, one per colour, top to bottom."""
    rows = []
    for y in range(height):
        r, g, b = colours[min(len(colours) - 1, y * len(colours) // height)]
        rows.append(b"\x00" + bytes((r, g, b)) * width)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
            + _chunk(b"IEND", b""))


def claiming(width: int, height: int) -> bytes:
    """A PNG header claiming `width` × `height` pixels, with almost nothing behind it."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + \
        _chunk(b"IEND", b"")
