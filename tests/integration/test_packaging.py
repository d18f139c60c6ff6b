"""Packaging files stay consistent with pyproject.toml and with each other (no bundle built:
packaging/check_bundle.sh does that)."""

from __future__ import annotations

import configparser
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from PIL import Image

import app

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def _load_meta():
    spec = importlib.util.spec_from_file_location("packaging_meta", PACKAGING / "meta.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while building classes
    spec.loader.exec_module(module)
    return module


meta = _load_meta()
product = meta.read_product(ROOT)


def test_product_facts_come_from_pyproject_and_match_the_app():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert product.version == pyproject["project"]["version"]
    assert product.product_name == app.APP_NAME
    assert product.executable == app.APP_ID
    assert len(product.windows_app_id) == 36 and product.windows_app_id.count("-") == 4


def test_meta_command_prints_a_field():
    out = subprocess.run(
        [sys.executable, str(PACKAGING / "meta.py"), "get", "version"],
        capture_output=True,
        check=True,
    )
    assert out.stdout.decode().strip() == product.version


def test_icons_exist_in_every_size_windows_asks_for():
    with Image.open(product.icon_png) as png:
        assert png.size == (256, 256) and png.mode == "RGBA"
    with Image.open(product.icon_ico) as ico:
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])


def test_bundle_data_has_resources_and_migrations_without_caches():
    destinations = {(Path(src).name, dest) for src, dest in meta.data_files(ROOT)}
    assert ("default.toml", "resources/rules") in destinations
    assert ("env.py", "db/migrations") in destinations
    assert ("0001_baseline.py", "db/migrations/versions") in destinations
    assert not [src for src, _ in meta.data_files(ROOT) if "__pycache__" in src]


def test_what_the_migrations_import_becomes_hidden_imports():
    imports = meta.migration_imports(ROOT)
    assert {"alembic.op", "alembic.context", "sqlalchemy"} <= set(imports)


def test_version_metadata_written_for_the_bundle(tmp_path: Path):
    folder = meta.write_dist_info(product, tmp_path)
    assert folder.name == f"jixiao-{product.version}.dist-info"
    assert f"Version: {product.version}\n" in (folder / "METADATA").read_text(encoding="utf-8")


def test_spec_is_python_and_reads_everything_from_meta():
    source = (PACKAGING / "jixiao.spec").read_text(encoding="utf-8")
    compile(source, "jixiao.spec", "exec")
    for needle in ("meta.read_product", "meta.data_files", "meta.migration_imports", "console="):
        assert needle in source
    assert (PACKAGING / "launcher.py").is_file()


def test_the_bundle_keeps_every_qt_module_the_app_imports():
    spec = (PACKAGING / "jixiao.spec").read_text(encoding="utf-8")
    excluded = set(re.findall(r'"(PySide6\.Qt\w+)"', spec))
    app = PACKAGING.parent / "app"
    used = {
        name
        for path in app.rglob("*.py")
        for name in re.findall(r"PySide6\.Qt\w+", path.read_text(encoding="utf-8"))
    }
    assert used and used.isdisjoint(excluded), used & excluded


def _desktop_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive in .desktop files
    parser.read_string(path.read_text(encoding="utf-8"))
    assert parser.sections() == ["Desktop Entry"]
    return dict(parser["Desktop Entry"])


def test_desktop_file_is_a_valid_launcher():
    entry = _desktop_entry(PACKAGING / "linux" / "jixiao.desktop")
    assert entry["Type"] == "Application"
    assert entry["Name"] == product.product_name
    assert entry["Icon"] == product.executable
    assert entry["Exec"] == f"/opt/{product.executable}/{product.executable}"
    assert entry["Terminal"] == "false"
    categories = entry["Categories"]
    assert categories.endswith(";") and {"Office", "Finance"} <= set(categories.split(";"))


@pytest.mark.skipif(shutil.which("bash") is None or os.name == "nt", reason="needs bash")
def test_linux_install_script_installs_per_user_and_uninstall_keeps_data(tmp_path: Path):
    stage = tmp_path / "stage"
    (stage / "jixiao").mkdir(parents=True)
    (stage / "jixiao" / "jixiao").write_text("#!/bin/sh\n", encoding="utf-8")
    for name in ("install.sh", "jixiao.desktop"):
        shutil.copy(PACKAGING / "linux" / name, stage / name)
    shutil.copy(product.icon_png, stage / "jixiao.png")
    home, share = tmp_path / "home dir", tmp_path / "home dir" / "share"
    data = share / "jixiao" / "jixiao.sqlite3"
    data.parent.mkdir(parents=True)
    data.write_bytes(b"user data")
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "XDG_DATA_HOME": str(share)}

    subprocess.run(["bash", str(stage / "install.sh")], env=env, check=True, capture_output=True)
    exe = share / "jixiao-app" / "jixiao" / "jixiao"
    assert exe.is_file()
    entry = _desktop_entry(share / "applications" / "jixiao.desktop")
    assert entry["Exec"] == f'"{exe}"'
    assert (share / "icons" / "hicolor" / "256x256" / "apps" / "jixiao.png").is_file()

    args = ["bash", str(stage / "install.sh"), "--uninstall"]
    subprocess.run(args, env=env, check=True, capture_output=True)
    assert not exe.exists() and not (share / "applications" / "jixiao.desktop").exists()
    assert data.read_bytes() == b"user data"


def _iss() -> str:
    raw = (PACKAGING / "windows" / "jixiao.iss").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Inno Setup needs a BOM to read UTF-8"
    return raw.decode("utf-8-sig")


def test_inno_setup_script_installs_per_user_in_chinese_and_keeps_the_data_folder():
    iss = _iss()
    assert "PrivilegesRequired=lowest" in iss
    assert "DefaultDirName={userpf}\\" in iss  # %LOCALAPPDATA%\Programs
    assert "ChineseSimplified.isl" in iss
    assert '#include "..\\..\\build\\jixiao-defines.iss"' in iss
    assert "{autoprograms}" in iss and "{autodesktop}" in iss
    section = iss.split("[UninstallDelete]")[1].split("[Code]")[0]
    deleted = [line for line in section.splitlines() if line.strip() and line[0] != ";"]
    assert deleted == ['Type: filesandordirs; Name: "{app}"']
    assert "{localappdata}\\jixiao" in iss  # named to the user as kept, after uninstalling


def test_inno_setup_defines_come_from_pyproject():
    defines = meta.iss_defines(product)
    assert f'#define AppId "{product.windows_app_id}"' in defines
    assert f'#define AppVersion "{product.version}"' in defines
    assert f'#define ProductName "{product.product_name}"' in defines
    build_script = (PACKAGING / "windows" / "build.ps1").read_text(encoding="utf-8-sig")
    assert "build\\jixiao-defines.iss" in build_script and "/DAppVersion=" in build_script
