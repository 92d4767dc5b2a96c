"""Remappable keys: keys.toml under $XDG_CONFIG_HOME/annotator, checked before the app starts; the role
categories of config.toml; docs/keys.md checked against the bindings."""

from __future__ import annotations

import re

import pytest
from textual.binding import Binding
from textual.keys import _character_to_key
from textual.widgets import DataTable, Input, OptionList

from annotator.model import DEFAULT_ROLE_CATEGORIES
from annotator.tui.app import AnnotatorApp, binding_ids, default_keys
from annotator.tui.config import (
    KeysError,
    config_dir,
    conflicts,
    key_name,
    keys_path,
    load_keymap,
    load_role_categories,
)
from annotator.tui.screens.adjudicate import AdjudicateScreen
from annotator.tui.screens.annotate import AnnotateScreen
from annotator.tui.screens.documents import DocumentsScreen
from annotator.tui.screens.help import HelpScreen
from annotator.tui.screens.pickers import NumberedPicker
from annotator.tui.screens.prompts import TextPrompt
from annotator.tui.screens.speaker_picker import SpeakerPicker
from tests.support.markdown import code_blocks, tables
from tests.support.paths import ROOT
from tests.support.store import make_store
from tests.support.tui import check, running


def write_keys(tmp_path, monkeypatch, body: str):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    path = keys_path()
    path.parent.mkdir(parents=True)
    path.write_text(body, encoding="utf-8")
    return path


def test_keys_file_location(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert keys_path() == tmp_path / "annotator" / "keys.toml"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert keys_path() == tmp_path / ".config" / "annotator" / "keys.toml"
    assert load_keymap(binding_ids()) == {}


def test_a_keys_file_remaps(tmp_path, monkeypatch):
    write_keys(tmp_path, monkeypatch, '[keys]\naccept = "y, enter"\nreject = "z"\n')
    assert load_keymap(binding_ids()) == {"accept": "y,enter", "reject": "z"}


@pytest.mark.parametrize("body, message", [
    ('[keys]\naccept_all = "y"\n', "unknown action 'accept_all'"),
    ('[keys]\naccept = ""\n', "non-empty string"),
    ('[keys\naccept = "y"\n', "cannot be read as TOML"),
    ('keys = 3\n', "must be a table"),
])
def test_bad_keys_files_are_refused_by_name(tmp_path, monkeypatch, body, message):
    path = write_keys(tmp_path, monkeypatch, body)
    with pytest.raises(KeysError) as err:
        load_keymap(binding_ids())
    assert str(path) in str(err.value) and message in str(err.value)


def test_the_command_refuses_a_bad_keys_file(tmp_path, monkeypatch, run_cli, db_path):
    make_store(db_path).close()
    path = write_keys(tmp_path, monkeypatch, '[keys]\nnope = "y"\n')
    result = run_cli("annotate")
    assert result.exit_code == 1
    assert str(path) in result.output and "unknown action 'nope'" in result.output


async def test_the_app_uses_the_keys_file(tmp_path, monkeypatch):
    write_keys(tmp_path, monkeypatch, '[keys]\naccept = "y"\nnext_quote = "j"\n')
    make_store(tmp_path / "k.db").close()
    async with running(tmp_path / "k.db") as (_, pilot):
        await pilot.press("j", "y", "a")
    assert [q.status for q in check(tmp_path / "k.db")[0]] == ["pending", "accepted", "pending"]


def test_role_categories_from_config_toml(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert load_role_categories(DEFAULT_ROLE_CATEGORIES) == DEFAULT_ROLE_CATEGORIES
    config_dir().mkdir(parents=True)
    (config_dir() / "config.toml").write_text('role_categories = ["police", "judge"]\n', encoding="utf-8")
    assert load_role_categories(DEFAULT_ROLE_CATEGORIES) == ("police", "judge")
    (config_dir() / "config.toml").write_text("role_categories = []\n", encoding="utf-8")
    with pytest.raises(KeysError, match=r"config\.toml: role_categories"):
        load_role_categories(DEFAULT_ROLE_CATEGORIES)


async def test_the_category_picker_offers_the_configured_list(tmp_path):
    make_store(tmp_path / "c.db").close()
    async with running(tmp_path / "c.db", role_categories=("police", "judge")) as (_, pilot):
        await pilot.press("R", "2")
        await pilot.pause()
    assert check(tmp_path / "c.db")[0][0].role_category == "judge"


def test_the_default_keys_never_clash():
    assert conflicts({}, default_keys()) == []


def test_a_key_given_to_two_actions_of_one_screen_is_refused(tmp_path, monkeypatch):
    path = write_keys(tmp_path, monkeypatch, '[keys]\nprevious_quote = "k,p"\nspeaker_kind = "k"\n')
    with pytest.raises(KeysError) as err:
        load_keymap(binding_ids(), screens=default_keys())
    assert str(path) in str(err.value) and "'k' is bound to both" in str(err.value)
    # moving the other action off the key, or using it on another screen, is fine
    path.write_text('[keys]\nprevious_quote = "k,p"\nopen_next = "k"\n', encoding="utf-8")
    assert load_keymap(binding_ids(), screens=default_keys())["open_next"] == "k"


def test_a_character_and_its_key_name_are_one_key(tmp_path, monkeypatch):
    """``?`` and ``question_mark`` name the same key in Textual: given to two actions of one screen, refused."""
    path = write_keys(tmp_path, monkeypatch, '[keys]\nundo = "?"\n')
    with pytest.raises(KeysError) as err:
        load_keymap(binding_ids(), screens=default_keys())
    assert str(path) in str(err.value) and "'?' (for 'undo') and 'question_mark' (for 'help') are one key" in str(err.value)


@pytest.mark.parametrize("character", [chr(c) for c in range(33, 127)] + ["\t", "é", "→"])
def test_key_names_are_textuals(character):
    assert key_name(character) == _character_to_key(character)


# --- docs/keys.md against the bindings ----------------------------------------------------------

KEYS_DOC = ROOT / "docs" / "keys.md"
# Dialogs: the heading they are documented under, the dialog, and the widget that has the focus in it
# (whose own keys, such as enter in an input, the dialog relies on).
DIALOGS = {
    "Speaker picker": (SpeakerPicker, Input),
    "Role category": (NumberedPicker, OptionList),
    "Role (": (TextPrompt, Input),
    "Help screen": (HelpScreen, None),
}


def documented_keys(cell: str) -> list[str]:
    """The keys of a table cell as keys.toml names them: `[` (`left_square_bracket`) is left_square_bracket,
    `1`–`9` the nine digits; words without backticks (typing) are no key."""
    keys = []
    for first, last in re.findall(r"`(\d)`–`(\d)`", cell):
        keys += [str(d) for d in range(int(first), int(last) + 1)]
    cell = re.sub(r"`\d`–`\d`", "", cell)
    for shown, name in re.findall(r"`([^`]+)`(?:\s*\(`([^`]+)`\))?", cell):
        keys.append(name or shown)
    return keys


def bound_keys(bindings) -> list[str]:
    return [key for b in bindings if isinstance(b, Binding) for key in b.key.split(",")]


def screen_differences(screen, rows: list[dict[str, str]]) -> list[str]:
    """The rows where docs/keys.md and the screen's bindings disagree, both ways."""
    in_code = {b.id: b.key.split(",") for b in screen.BINDINGS if isinstance(b, Binding) and b.id}
    in_docs = {row["action id"].strip("`"): documented_keys(row["keys"]) for row in rows}
    differences = []
    for action in [*in_code, *(a for a in in_docs if a not in in_code)]:
        code, docs = in_code.get(action), in_docs.get(action)
        if code != docs:
            said = ", ".join(docs) if docs is not None else "nothing"
            bound = ", ".join(code) if code is not None else "nothing"
            differences.append(f"{screen.__name__} {action}: docs/keys.md says {said}, the app binds {bound}")
    return differences


def dialog_differences(heading: str, rows: list[dict[str, str]]) -> list[str]:
    """Keys a dialog binds that the docs leave out, and keys the docs give that neither it nor its focused
    widget has."""
    dialog, focused = next(found for prefix, found in DIALOGS.items() if heading.startswith(prefix))
    own = bound_keys(dialog.BINDINGS)
    usable = set(own) | set(bound_keys(focused.BINDINGS if focused else []))
    docs = [key for row in rows for key in documented_keys(row["keys"])]
    return ([f"{dialog.__name__}: {key} is bound but not in docs/keys.md" for key in own if key not in docs]
            + [f"{dialog.__name__}: docs/keys.md gives {key}, which it does not have" for key in docs
               if key not in usable])


def test_the_keys_document_matches_the_bindings():
    """Every table of docs/keys.md is checked: the screens' tables row by row against the bindings (ids and
    default keys), the list's and the dialogs' keys against what those widgets bind."""
    screens = {"Documents screen": DocumentsScreen, "Annotate screen": AnnotateScreen,
               "Adjudication screen": AdjudicateScreen}
    per_screen: dict[str, list[dict[str, str]]] = {name: [] for name in screens}
    differences = []
    for table in tables(KEYS_DOC.read_text(encoding="utf-8")):
        section, heading = table.headings[1], table.headings[-1]
        if "keys" not in table.columns:
            differences.append(f"a table under {' / '.join(table.headings)} without a keys column")
            continue
        docs = [key for row in table.rows for key in documented_keys(row["keys"])]
        if section in screens and "action id" in table.columns:
            per_screen[section] += table.rows
        elif section == "Documents screen":  # moving in the list: the table's own keys
            differences += [f"DataTable: docs/keys.md gives {key}, which it does not have" for key in docs
                            if key not in bound_keys(DataTable.BINDINGS)]
        elif section == "Everywhere":
            app = sorted([*bound_keys(AnnotatorApp.BINDINGS), AnnotatorApp.COMMAND_PALETTE_BINDING])
            if sorted(docs) != app:
                differences.append(f"everywhere: docs/keys.md says {sorted(docs)}, the app binds {app}")
        elif section == "Dialogs":
            differences += dialog_differences(heading, table.rows)
        else:
            differences.append(f"a table under {' / '.join(table.headings)} that no test checks")
    for name, screen in screens.items():
        differences += screen_differences(screen, per_screen[name])
    assert not differences, "\n".join(differences)


def test_the_keys_document_examples_are_accepted(tmp_path, monkeypatch):
    """The keys.toml and config.toml shown in docs/keys.md load as they are, and the README points to it."""
    keys_example, categories_example = code_blocks(KEYS_DOC.read_text(encoding="utf-8"), "toml")
    path = write_keys(tmp_path, monkeypatch, keys_example)
    assert load_keymap(binding_ids(), path, default_keys())["skip"] == "ctrl+s"
    (config_dir() / "config.toml").write_text(categories_example, encoding="utf-8")
    assert load_role_categories(DEFAULT_ROLE_CATEGORIES) == ("government", "military", "police", "other")
    assert "docs/keys.md" in (ROOT / "README.md").read_text(encoding="utf-8")
