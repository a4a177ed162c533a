"""One Settings for the bot and the index: values in `.env` reach the retriever's settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.settings import ROOT, IndexSettings, Settings


@pytest.fixture
def dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `.env` file read in place of the project's, with no competing environment."""
    path = tmp_path / ".env"
    for name in ("INDEX_DIR", "EMBEDDING_MODEL", "NUDGE_AFTER_DAYS", "INACTIVE_AFTER_DAYS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setitem(Settings.model_config, "env_file", path)
    return path


def test_index_dir_and_embedding_model_from_dotenv_take_effect(dotenv: Path,
                                                               tmp_path: Path) -> None:
    dotenv.write_text(f"INDEX_DIR={tmp_path / 'elsewhere'}\nEMBEDDING_MODEL={tmp_path}\n")
    settings = IndexSettings.from_env()
    assert settings.index_dir == tmp_path / "elsewhere"
    assert settings.model == str(tmp_path)


def test_a_relative_index_dir_is_taken_from_the_project(dotenv: Path) -> None:
    dotenv.write_text("INDEX_DIR=data/other-index\n")
    assert IndexSettings.from_env().index_dir == ROOT / "data" / "other-index"


def test_the_environment_wins_over_dotenv(dotenv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dotenv.write_text("EMBEDDING_MODEL=from-dotenv\nNUDGE_AFTER_DAYS=3\n")
    monkeypatch.setenv("EMBEDDING_MODEL", "from-environment")
    settings = Settings()
    assert settings.embedding_model == "from-environment"
    assert settings.inactive_after_days == 3  # the setting's older name still counts
