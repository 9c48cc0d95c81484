"""Secret keys of pseudonyms and reversible encryption: where they are read, never stored.

A key comes from a *keyring file* (YAML: the active key's id and every key kept for
re-identification) or from an environment variable holding one base64 key. The catalogue
and the extracts only ever hold a key's *id* (for a keyring) and its *fingerprint* (the
first 12 hex digits of a SHA-256 over a derived value, which tells keys apart and reveals
nothing of them).

Rotation adds a new key and makes it active: pseudonyms made after it differ from those
made before (joins hold within one key's extracts), while tokens of reversible encryption
name their key and stay readable as long as the old key is kept in the ring.

Each use gets its own subkey (HKDF-SHA256 with a purpose label), so the pseudonym key and
the encryption key are never the same bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
import stat
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import yaml
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pydantic import BaseModel, ValidationError

from catalog.errors import CartableError

KEY_BYTES = 32
ENV_ID = "env"


class StoredKey(BaseModel):
    """One key of a keyring file."""

    id: str
    created: str
    secret: str  # base64


class KeyringFile(BaseModel):
    """The YAML of a keyring file."""

    active: str
    keys: list[StoredKey]


class Keyring:
    """The keys one extract may use: the active one, and older ones to read old tokens."""

    def __init__(self, keys: dict[str, bytes], active: str) -> None:
        if active not in keys:
            raise CartableError(f"the keyring has no key '{active}' (its active key)")
        self._keys = keys
        self.active_id = active

    def subkey(self, purpose: str, key_id: str | None = None, length: int = KEY_BYTES) -> bytes:
        """The key derived for ``purpose`` from the active key (or the key ``key_id``)."""
        wanted = key_id or self.active_id
        if wanted not in self._keys:
            raise CartableError(f"the keyring has no key '{wanted}'")
        return HKDF(
            algorithm=hashes.SHA256(), length=length, salt=None, info=purpose.encode()
        ).derive(self._keys[wanted])

    @property
    def fingerprint(self) -> str:
        """What tells the active key apart from others, safe to record anywhere."""
        return hashlib.sha256(self.subkey("cartable-fingerprint")).hexdigest()[:12]


def _decode(secret: str, where: str) -> bytes:
    try:
        key = base64.b64decode(secret, validate=True)
    except (binascii.Error, ValueError):
        raise CartableError(f"{where} is not base64") from None
    if len(key) < KEY_BYTES:
        raise CartableError(f"{where} is too short ({len(key)} bytes; {KEY_BYTES} or more)")
    return key


def check_private(path: Path, *, shared: Sequence[Path] = (), beside: Sequence[Path] = ()) -> None:
    """Refuse a key file others can read, one inside a folder handed out with the data
    (``shared``: the extracts' folder), or one in the same folder as a data file (``beside``:
    the catalogue's SQLite file)."""
    if not path.is_file():
        raise CartableError(f"key file {path} not found")
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise CartableError(f"key file {path} is readable by others (chmod 600 {path})")
    folder = path.resolve().parent
    near = [(f.resolve(), True) for f in shared] + [(f.resolve().parent, False) for f in beside]
    for data_folder, with_subfolders in near:
        if folder == data_folder or (with_subfolders and data_folder in folder.parents):
            raise CartableError(
                f"key file {path} is kept with the data it protects ({data_folder}); "
                "keep keys in a folder of their own"
            )


def load_keyring(
    *,
    file: Path | None = None,
    env: str | None = None,
    shared: list[Path] | None = None,
    beside: list[Path] | None = None,
) -> Keyring:
    """The keyring of a key file (checked with ``check_private``), or the one key of an
    environment variable."""
    if file is not None:
        check_private(file, shared=shared or [], beside=beside or [])
        try:
            stored = KeyringFile.model_validate(yaml.safe_load(file.read_text(encoding="utf-8")))
        except (yaml.YAMLError, ValidationError):
            raise CartableError(f"key file {file} is not a Cartable keyring") from None
        keys = {k.id: _decode(k.secret, f"key '{k.id}' of {file}") for k in stored.keys}
        return Keyring(keys, stored.active)
    if env is not None:
        secret = os.environ.get(env)
        if not secret:
            raise CartableError(f"the environment variable {env} holding the key is not set")
        return Keyring({ENV_ID: _decode(secret, f"${env}")}, ENV_ID)
    raise CartableError("no key given: a key file or an environment variable")


def _new_key(index: int) -> StoredKey:
    created = datetime.now(UTC)
    return StoredKey(
        id=f"k{index}-{created:%Y%m%d}",
        created=created.isoformat(timespec="seconds"),
        secret=base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode(),
    )


def _save(path: Path, ring: KeyringFile) -> None:
    text = yaml.safe_dump(ring.model_dump(), sort_keys=False, allow_unicode=True)
    partial = path.with_name(path.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(partial, path)


def create_keyring(path: Path) -> str:
    """Write a new keyring file with one key (owner-only); the key's id."""
    if path.exists():
        raise CartableError(f"{path} already exists (use rotate to add a key)")
    if not path.parent.is_dir():
        raise CartableError(f"folder {path.parent} not found")
    key = _new_key(1)
    _save(path, KeyringFile(active=key.id, keys=[key]))
    return key.id


def rotate_keyring(path: Path) -> str:
    """Add a new key to a keyring file and make it the active one; its id."""
    check_private(path)
    try:
        ring = KeyringFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (yaml.YAMLError, ValidationError):
        raise CartableError(f"key file {path} is not a Cartable keyring") from None
    key = _new_key(len(ring.keys) + 1)
    _save(path, KeyringFile(active=key.id, keys=[*ring.keys, key]))
    return key.id
