"""Remappable keys: ``$XDG_CONFIG_HOME/annotator/keys.toml`` (default ``~/.config/annotator/keys.toml``).

The file maps action ids (as listed on the help screen) to comma-separated keys::

    [keys]
    accept = "a,enter"
    next_quote = "j,n,tab"
    undo = "u,ctrl+z"

Keys left out keep their defaults. A file that cannot be read, or names an
action that does not exist, is refused with a message naming it.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path


class KeysError(Exception):
    """The key configuration file is unusable; the message names the file."""


def keys_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "annotator" / "keys.toml"


def load_keymap(known_ids: set[str], path: Path | None = None) -> dict[str, str]:
    """The user's keymap (binding id to keys), empty when there is no file."""
    path = path or keys_path()
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise KeysError(f"{path}: cannot be read as TOML ({exc})") from None
    table = data.get("keys", {})
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
    return keymap
