"""A cache of checked content, so the game starts without parsing and checking YAML every time.

An entry is used only when it is the same as a fresh load would be: the same engine (a hash of its
source), the same list of content files, the same bytes in every file the loader read, and still
no file where it looked for one and found none (and only those: a 600 MB PDF beside the manifest
is never read, here or by the loader). Only content that passed every check is cached. The cache
is JSON with an explicit list of the classes it may rebuild (never pickle). `validate` never uses
it.

The cache folder may be one that other people can write to (`MOSCOW1956_HOME` on a shared drive),
so an entry is signed: an HMAC-SHA256 of its body with a per-install secret kept outside the cache
folder (`cache.key` in the settings folder, readable by its owner only). An entry whose signature
does not match, or that cannot be read, is ignored and rebuilt from the content. Where the secret
itself could have been replaced or read by someone else (a key file owned by another user, or
readable by others), the cache is not used at all.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import os
import secrets
import stat
from pathlib import Path
from typing import Any

from .. import paths
from ..formats import CACHE
from . import expressions, model
from .content_files import ABSENT, ContentRoot, read_bytes
from .diagnostics import Diagnostics, Origin
from .files import write_atomic
from .loader import listing, no_cycle_collection

CACHE_FORMAT = CACHE.current
MAGIC = f"moscow-1956 cache {CACHE_FORMAT}\n"
MAX_ENTRY_BYTES = 256 * 1024 * 1024
MAX_ENTRIES = 16          # one per content folder and scenario played; the oldest go first
_KEY_BYTES = 32


def _dataclasses(*modules: Any) -> dict[str, type]:
    """Every dataclass the modules define, by name: a new model class is cached with no list to keep."""
    return {name: cls for module in modules for name, cls in vars(module).items()
            if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == module.__name__}


_CLASSES = {"Origin": Origin, **_dataclasses(model, expressions)}


def cache_dir() -> Path:
    return paths.cache_dir()


def key_path() -> Path:
    """The secret that signs cache entries: in the settings folder, never in the cache folder."""
    return paths.config_dir() / "cache.key"


def engine_digest() -> str:
    """Hash of the engine's own source: a new engine never uses an old engine's entries."""
    digest = hashlib.sha256(f"format {CACHE_FORMAT}\n".encode())
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _private(info: os.stat_result) -> bool:
    """A key file only its owner, this user, can read or change (where the system can tell)."""
    if not stat.S_ISREG(info.st_mode):
        return False
    if os.name != "posix":
        return True
    return info.st_uid == os.geteuid() and not info.st_mode & 0o077


def secret(create: bool = False) -> bytes | None:
    """The per-install secret; created on first use when `create`. None when it is missing or
    cannot be trusted (then nothing is cached)."""
    path = key_path()
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return _new_secret(path) if create else None
    except OSError:
        return None
    if not _private(info):
        return None
    data = read_bytes(path, str(path), Diagnostics(), limit=4 * _KEY_BYTES)
    try:
        key = bytes.fromhex(data.decode("ascii").strip()) if data is not None else b""
    except (UnicodeDecodeError, ValueError):
        return None
    return key if len(key) == _KEY_BYTES else None


def _new_secret(path: Path) -> bytes | None:
    key = secrets.token_bytes(_KEY_BYTES)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except FileExistsError:
        return secret(create=False)   # another process made it first
    except OSError:
        return None
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key.hex() + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return key


def entry_path(content: Path, scenario_id: str | None) -> Path:
    """One entry per content folder and scenario; the name is a hash (never a name from outside)."""
    name = f"{os.path.realpath(content)}\0{scenario_id or ''}"
    return cache_dir() / f"{hashlib.sha256(name.encode('utf-8', 'surrogateescape')).hexdigest()[:32]}.json"


def _sign(key: bytes, body: bytes) -> str:
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def encode(value: Any) -> Any:
    """Dataclasses become {"~": class name, "a": [field values in order]}; tuples become lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"~": type(value).__name__, "a": [encode(getattr(value, f.name)) for f in dataclasses.fields(value)]}
    if isinstance(value, tuple):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"~": "dict", "a": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, list):
        return {"~": "list", "a": [encode(v) for v in value]}
    return value


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return tuple([decode(v) for v in value])
    if isinstance(value, dict):
        kind, args = value["~"], value["a"]
        if kind == "dict":
            return {decode(k): decode(v) for k, v in args}
        if kind == "list":
            return [decode(v) for v in args]
        return _CLASSES[kind](*[decode(v) for v in args])  # KeyError if not listed: cache ignored
    return value


def _signed_body(path: Path, key: bytes) -> bytes | None:
    """The body of an entry whose signature is right; None for anything else."""
    data = read_bytes(path, str(path), Diagnostics(), limit=MAX_ENTRY_BYTES)
    head = MAGIC.encode()
    if data is None or not data.startswith(head):
        return None
    mac, _, body = data[len(head):].partition(b"\n")
    if not hmac.compare_digest(mac, _sign(key, body).encode()):
        return None
    return body


def _same_files(content: Path, data: dict) -> bool:
    """The files the loader would read now are those the entry was made from, byte for byte."""
    if data.get("listing") != listing(content):
        return False
    root = ContentRoot.of(content)
    reads = data.get("reads")
    if not isinstance(reads, dict):
        return False
    for rel, digest in reads.items():
        if digest == ABSENT:
            if os.path.lexists(content / rel):
                return False
            continue
        if read_bytes(content / rel, rel, Diagnostics(), root) is None or root.reads.get(rel) != digest:
            return False
    return True


def load(content: Path, scenario_id: str | None) -> model.Scenario | None:
    """The cached scenario for this exact content and engine, or None (then load from YAML)."""
    key = secret()
    if key is None:
        return None
    body = _signed_body(entry_path(content, scenario_id), key)
    if body is None:
        return None
    try:
        with no_cycle_collection():   # hundreds of thousands of small acyclic objects, as in a load
            data = json.loads(body)
            if not isinstance(data, dict) or not CACHE.reads(data.get("format")) \
                    or data.get("engine") != engine_digest() or data.get("scenario_id") != scenario_id \
                    or not _same_files(content, data):
                return None
            scenario = decode(data["scenario"])
    except (ValueError, KeyError, TypeError, RecursionError):
        return None
    return scenario if isinstance(scenario, model.Scenario) else None


def store(content: Path, scenario_id: str | None, scenario: model.Scenario, reads: dict[str, str]) -> None:
    """Sign and keep a scenario that passed every check, with the files it was read from."""
    key = secret(create=True)
    if key is None:
        return
    try:
        body = json.dumps({"format": CACHE_FORMAT, "engine": engine_digest(), "scenario_id": scenario_id,
                           "listing": listing(content), "reads": reads, "scenario": encode(scenario)},
                          ensure_ascii=True, separators=(",", ":"))
        if len(body) > MAX_ENTRY_BYTES:
            return
        path = entry_path(content, scenario_id)
        write_atomic(path, MAGIC + _sign(key, body.encode()) + "\n" + body)
        _prune(path.parent)
    except OSError:
        pass  # a read-only profile: the game just loads from YAML each time


def _prune(folder: Path) -> None:
    """Keep the newest MAX_ENTRIES entries: the cache never grows without bound."""
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[MAX_ENTRIES:]:
        old.unlink(missing_ok=True)
