"""Remappable keys: keys.toml under $XDG_CONFIG_HOME/annotator, checked before the app starts."""

from __future__ import annotations

import pytest

from annotator.tui.app import binding_ids
from annotator.tui.config import KeysError, keys_path, load_keymap
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
    from annotator.model import DEFAULT_ROLE_CATEGORIES
    from annotator.tui.config import config_dir, load_role_categories

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
    from annotator.tui.app import default_keys
    from annotator.tui.config import conflicts
    assert conflicts({}, default_keys()) == []


def test_a_key_given_to_two_actions_of_one_screen_is_refused(tmp_path, monkeypatch):
    from annotator.tui.app import default_keys
    path = write_keys(tmp_path, monkeypatch, '[keys]\nprevious_quote = "k,p"\nspeaker_kind = "k"\n')
    with pytest.raises(KeysError) as err:
        load_keymap(binding_ids(), screens=default_keys())
    assert str(path) in str(err.value) and "'k' is bound to both" in str(err.value)
    # moving the other action off the key, or using it on another screen, is fine
    path.write_text('[keys]\nprevious_quote = "k,p"\nopen_next = "k"\n', encoding="utf-8")
    assert load_keymap(binding_ids(), screens=default_keys())["open_next"] == "k"
