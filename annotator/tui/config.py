"""User settings: remappable keys in ``$XDG_CONFIG_HOME/annotator/keys.toml`` (default
``~/.config/annotator/keys.toml``) and the role categories in ``config.toml`` beside it.

The file maps action ids (as listed on the help screen) to comma-separated keys::

    [keys]
    accept = "a,enter"
    next_quote = "j,n,tab"
    undo = "u,ctrl+z"

Keys left out keep their defaults. ``config.toml`` may replace the list of
role categories offered by ``R``::

    role_categories = ["government", "military", "police", "other"]

A file that cannot be read, names an action that does not exist, or gives one
key to two actions of the same screen, is refused with a message naming it.
Users read all this, with every key of every screen, in ``docs/keys.md``.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path


class KeysError(Exception):
    """The key configuration file is unusable; the message names the file."""


def config_dir() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")) / "annotator"


def keys_path() -> Path:
    return config_dir() / "keys.toml"


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise KeysError(f"{path}: cannot be read as TOML ({exc})") from None


def load_role_categories(default: tuple[str, ...], path: Path | None = None) -> tuple[str, ...]:
    """The role categories from config.toml, or the default list."""
    path = path or config_dir() / "config.toml"
    if not path.exists():
        return default
    value = _read_toml(path).get("role_categories", list(default))
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise KeysError(f"{path}: role_categories must be a non-empty list of names")
    return tuple(v.strip() for v in value)


def conflicts(keymap: dict[str, str], screens: list[list[tuple[str, str]]]) -> list[str]:
    """Keys that would do two things on one screen once ``keymap`` applies over the defaults.

    ``screens`` holds, per screen, its (binding id, default keys).
    """
    found = []
    for bindings in screens:
        owner: dict[str, str] = {}
        for binding_id, default in bindings:
            for key in keymap.get(binding_id, default).split(","):
                key = key.strip()
                if owner.setdefault(key, binding_id) != binding_id:
                    found.append(f"{key!r} is bound to both {owner[key]!r} and {binding_id!r}")
    return found


def load_keymap(
    known_ids: set[str], path: Path | None = None, screens: list[list[tuple[str, str]]] | None = None
) -> dict[str, str]:
    """The user's keymap (binding id to keys), empty when there is no file.

    With ``screens`` (see ``conflicts``), a key that would end up on two actions of one screen is refused.
    """
    path = path or keys_path()
    if not path.exists():
        return {}
    table = _read_toml(path).get("keys", {})
    if not isinstance(table, dict):
        raise KeysError(f"{path}: [keys] must be a table of action = \"keys\"")
    keymap = {}
    for action, keys in table.items():
        if action not in known_ids:
            raise KeysError(
                f"{path}: unknown action {action!r}; known actions: {', '.join(sorted(known_ids))}"
            )
        if not isinstance(keys, str) or not keys.strip():
            raise KeysError(f"{path}: the keys for {action!r} must be a non-empty string like \"a,enter\"")
        keymap[action] = ",".join(k.strip() for k in keys.split(","))
    clashes = conflicts(keymap, screens or [])
    if clashes:
        raise KeysError(f"{path}: {clashes[0]}; give one of them another key")
    return keymap
