"""Keyrings: created private, rotated with the old keys kept, read from a file or the
environment, refused when others can read them or when they sit with the data."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest
import yaml

from anonymization.keys import (
    ENV_ID,
    KEY_BYTES,
    Keyring,
    check_private,
    create_keyring,
    load_keyring,
    rotate_keyring,
)
from catalog.errors import CartableError

ENV = "CARTABLE_TEST_EXTRACT_KEY"


@pytest.fixture
def keys(tmp_path: Path) -> Path:
    folder = tmp_path / "cles"
    folder.mkdir()
    return folder


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def secrets_of(path: Path) -> dict[str, str]:
    stored = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {key["id"]: key["secret"] for key in stored["keys"]}


# create and rotate --------------------------------------------------------------------------


def test_create_writes_one_private_key(keys):
    path = keys / "recherche.keyring"
    key_id = create_keyring(path)
    assert mode(path) == 0o600
    stored = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert stored["active"] == key_id
    assert [key["id"] for key in stored["keys"]] == [key_id]
    assert len(base64.b64decode(stored["keys"][0]["secret"])) == KEY_BYTES
    assert not (keys / "recherche.keyring.partial").exists()
    ring = load_keyring(file=path)
    assert ring.active_id == key_id


def test_create_refuses_to_overwrite(keys):
    path = keys / "recherche.keyring"
    create_keyring(path)
    before = path.read_bytes()
    with pytest.raises(CartableError, match="already exists"):
        create_keyring(path)
    assert path.read_bytes() == before


def test_create_needs_the_folder(tmp_path):
    with pytest.raises(CartableError, match="not found"):
        create_keyring(tmp_path / "absent" / "recherche.keyring")


def test_two_keyrings_hold_different_secrets(keys):
    create_keyring(keys / "a.keyring")
    create_keyring(keys / "b.keyring")
    assert set(secrets_of(keys / "a.keyring").values()).isdisjoint(
        secrets_of(keys / "b.keyring").values()
    )


def test_rotate_adds_an_active_key_and_keeps_the_old(keys):
    path = keys / "recherche.keyring"
    old_id = create_keyring(path)
    old_secret = secrets_of(path)[old_id]
    old = load_keyring(file=path)
    new_id = rotate_keyring(path)
    assert new_id != old_id
    assert mode(path) == 0o600
    stored = secrets_of(path)
    assert list(stored) == [old_id, new_id]
    assert stored[old_id] == old_secret
    ring = load_keyring(file=path)
    assert ring.active_id == new_id
    # the old key still derives what it derived before the rotation
    assert ring.subkey("p", key_id=old_id) == old.subkey("p")
    assert ring.subkey("p") != old.subkey("p")
    assert ring.fingerprint != old.fingerprint
    third = rotate_keyring(path)
    assert list(secrets_of(path)) == [old_id, new_id, third]


def test_rotate_refuses_a_shared_or_missing_file(keys):
    path = keys / "recherche.keyring"
    with pytest.raises(CartableError, match="not found"):
        rotate_keyring(path)
    create_keyring(path)
    path.chmod(0o640)
    with pytest.raises(CartableError, match="readable by others"):
        rotate_keyring(path)


# load ---------------------------------------------------------------------------------------


def test_load_from_the_environment(monkeypatch):
    secret = bytes(range(KEY_BYTES))
    monkeypatch.setenv(ENV, base64.b64encode(secret).decode())
    ring = load_keyring(env=ENV)
    assert ring.active_id == ENV_ID == "env"
    assert len(ring.subkey("p")) == 32
    # a longer key is accepted too
    monkeypatch.setenv(ENV, base64.b64encode(bytes(64)).decode())
    assert load_keyring(env=ENV).active_id == "env"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (None, f"^the environment variable {ENV} holding the key is not set$"),
        ("", "is not set"),
        (base64.b64encode(bytes(16)).decode(), rf"^\${ENV} is too short \(16 bytes; 32 or more\)$"),
        ("not base64 at all!", rf"^\${ENV} is not base64$"),
        ("QUJD", "too short"),  # valid base64 of 3 bytes
        ("QUJ", "not base64"),  # bad padding
    ],
    ids=["unset", "empty", "too-short", "not-base64", "three-bytes", "bad-padding"],
)
def test_bad_environment_keys(monkeypatch, value, problem):
    if value is None:
        monkeypatch.delenv(ENV, raising=False)
    else:
        monkeypatch.setenv(ENV, value)
    with pytest.raises(CartableError, match=problem):
        load_keyring(env=ENV)


def test_the_file_wins_and_one_source_is_needed(keys, monkeypatch):
    path = keys / "recherche.keyring"
    key_id = create_keyring(path)
    monkeypatch.setenv(ENV, base64.b64encode(bytes(32)).decode())
    assert load_keyring(file=path, env=ENV).active_id == key_id
    with pytest.raises(CartableError, match="no key given"):
        load_keyring()


def test_a_file_that_is_not_a_keyring(keys):
    path = keys / "recherche.keyring"
    for text in ("secret: abc\n", "[unclosed\n", "active: k1\nkeys: []\n"):
        path.write_text(text, encoding="utf-8")
        path.chmod(0o600)
        with pytest.raises(CartableError, match="(not a Cartable keyring|has no key 'k1')"):
            load_keyring(file=path)


def test_a_stored_key_too_short(keys):
    path = keys / "recherche.keyring"
    short = base64.b64encode(bytes(8)).decode()
    path.write_text(
        f"active: k1\nkeys: [{{id: k1, created: '2026-01-01', secret: '{short}'}}]\n",
        encoding="utf-8",
    )
    path.chmod(0o600)
    with pytest.raises(CartableError, match="key 'k1' of .* is too short"):
        load_keyring(file=path)


@pytest.mark.parametrize("bits", [0o640, 0o604, 0o660, 0o644, 0o610, 0o601])
def test_a_key_file_others_can_read_is_refused(keys, bits):
    path = keys / "recherche.keyring"
    create_keyring(path)
    path.chmod(bits)
    with pytest.raises(CartableError, match=r"readable by others \(chmod 600 "):
        load_keyring(file=path)


def test_a_key_file_kept_with_the_data_is_refused(tmp_path):
    extracts = tmp_path / "extraits"
    catalogue = tmp_path / "catalogue"
    for folder in (extracts / "projet", catalogue / "cles", tmp_path / "cles"):
        folder.mkdir(parents=True)
    database = catalogue / "catalog.db"
    database.write_bytes(b"")
    refused = {
        "in the extracts folder": extracts / "recherche.keyring",
        "in a subfolder of the extracts folder": extracts / "projet" / "recherche.keyring",
        "beside the catalogue": catalogue / "recherche.keyring",
    }
    for path in refused.values():
        create_keyring(path)
    accepted = {
        "a folder of its own": tmp_path / "cles" / "recherche.keyring",
        "a subfolder of the catalogue's folder": catalogue / "cles" / "recherche.keyring",
    }
    for path in accepted.values():
        create_keyring(path)
    kept_with_data = []
    for where, path in {**refused, **accepted}.items():
        try:
            load_keyring(file=path, shared=[extracts], beside=[database])
        except CartableError as error:
            assert "is kept with the data it protects" in str(error)
            kept_with_data.append(where)
    assert kept_with_data == list(refused)


def test_check_private_follows_the_real_folder(tmp_path):
    """A path written through ``..`` or a symbolic link is judged by where the file is."""
    extracts = tmp_path / "extraits"
    extracts.mkdir()
    path = extracts / "recherche.keyring"
    create_keyring(path)
    link = tmp_path / "lien"
    link.symlink_to(extracts)
    (tmp_path / "autre").mkdir()
    for written in (tmp_path / "autre" / ".." / "extraits" / "recherche.keyring", link / path.name):
        with pytest.raises(CartableError, match="kept with the data"):
            check_private(written, shared=[extracts])


# fingerprints and subkeys -------------------------------------------------------------------


def test_fingerprints_tell_keys_apart_and_reveal_nothing(keys):
    rings = {}
    for name in ("a", "b"):
        path = keys / f"{name}.keyring"
        create_keyring(path)
        rings[name] = (load_keyring(file=path), next(iter(secrets_of(path).values())))
    fingerprints = {name: ring.fingerprint for name, (ring, _) in rings.items()}
    assert fingerprints["a"] != fingerprints["b"]
    for name, (ring, secret) in rings.items():
        fingerprint = fingerprints[name]
        assert len(fingerprint) == 12 and set(fingerprint) <= set("0123456789abcdef")
        assert ring.fingerprint == fingerprint  # stable
        raw = base64.b64decode(secret)
        for form in (secret, raw.hex(), base64.urlsafe_b64encode(raw).decode()):
            assert fingerprint != form and fingerprint not in form, name
        for purpose in ("cartable-pseudonym", "cartable-encrypt"):
            assert fingerprint not in ring.subkey(purpose).hex(), name


def test_subkeys_differ_by_purpose_and_key():
    first = Keyring({"k1": bytes(range(32)), "k2": bytes(range(1, 33))}, "k1")
    purposes = ["cartable-pseudonym", "cartable-encrypt", "cartable-fingerprint"]
    derived = [first.subkey(purpose) for purpose in purposes]
    assert len(set(derived)) == 3
    assert bytes(range(32)) not in derived
    assert first.subkey("cartable-pseudonym") == first.subkey("cartable-pseudonym")
    assert first.subkey("p", key_id="k2") != first.subkey("p")
    assert len(first.subkey("cartable-encrypt", length=64)) == 64
    assert first.subkey("p", length=64)[:32] != first.subkey("p", key_id="k2", length=64)[:32]


def test_keyring_ids():
    with pytest.raises(CartableError, match="has no key 'k3' \\(its active key\\)"):
        Keyring({"k1": bytes(32)}, "k3")
    with pytest.raises(CartableError, match="has no key 'k9'"):
        Keyring({"k1": bytes(32)}, "k1").subkey("p", key_id="k9")
