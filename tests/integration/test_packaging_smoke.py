"""`python -m app --smoke-test`, in process: what check_bundle.sh runs on the bundle."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.main import main


def test_smoke_test_opens_the_window_and_writes_a_pdf_with_embedded_fonts(
    qapp, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr("app.main.setup_logging", lambda: None)  # not the user's log folder
    folder = tmp_path / "smoke"

    code = main(["--smoke-test", str(folder)])

    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert code == 0, json.dumps(result, ensure_ascii=False)
    assert result["ok"] and not result["frozen"]
    assert {"data_from_bundle", "schema_at_head", "window_shown", "pdf_fonts_embedded"} <= set(
        result["checks"]
    )
    assert all(result["checks"].values())
    assert b"/FontFile2" in Path(result["pdf"]).read_bytes()
    assert Path(result["screenshot"]).is_file()
    assert result["timings"]["cold_start_s"] > 0


def test_smoke_test_refuses_a_folder_that_already_has_a_database(qapp, tmp_path: Path):
    (tmp_path / "jixiao.sqlite3").write_bytes(b"")
    from app.smoke import run_smoke_test

    with pytest.raises(SystemExit, match="新的文件夹"):
        run_smoke_test([str(tmp_path)])
