"""Product facts for the packaging scripts, read from pyproject.toml (the one place they live).

Used by the PyInstaller spec (imported), and by the build scripts as a command:

    python packaging/meta.py get version          # 0.1.0
    python packaging/meta.py get product_name     # 预算绩效管理
    python packaging/meta.py iss build/jixiao-defines.iss   # #defines for Inno Setup

Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Folders shipped as data: app/paths.py looks for them under sys._MEIPASS.
DATA_FOLDERS = ("resources", "db/migrations")
_SKIP_PARTS = {"__pycache__"}
_SKIP_SUFFIXES = {".pyc", ".pyo"}


@dataclass(frozen=True)
class Product:
    name: str  # distribution name, e.g. jixiao
    version: str
    description: str
    product_name: str  # what the user reads: 预算绩效管理
    executable: str
    publisher: str
    icon_png: Path
    icon_ico: Path
    windows_app_id: str

    @property
    def version_tuple(self) -> tuple[int, int, int, int]:
        """Four numbers for the Windows version resource (0.1.0 → 0, 1, 0, 0)."""
        parts = self.version.split(".")
        numbers = [int("".join(c for c in part if c.isdigit()) or 0) for part in parts]
        return tuple([*numbers, 0, 0, 0, 0][:4])  # type: ignore[return-value]


def read_product(root: Path = ROOT) -> Product:
    data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    project, tool = data["project"], data["tool"]["jixiao"]
    icon = root / tool["icon"]
    return Product(
        name=project["name"],
        version=project["version"],
        description=project.get("description", ""),
        product_name=tool["product-name"],
        executable=tool["executable"],
        publisher=tool["publisher"],
        icon_png=icon.with_suffix(".png"),
        icon_ico=icon.with_suffix(".ico"),
        windows_app_id=tool["windows-app-id"],
    )


def data_files(root: Path = ROOT) -> list[tuple[str, str]]:
    """(source file, folder in the bundle) for every shipped data file, caches left out."""
    pairs = []
    for folder in DATA_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_dir() or _SKIP_PARTS & set(path.parts) or path.suffix in _SKIP_SUFFIXES:
                continue
            pairs.append((str(path), str(path.parent.relative_to(root).as_posix())))
    return pairs


def migration_imports(root: Path = ROOT) -> list[str]:
    """Modules the migration scripts import. Alembic loads those scripts from files at run
    time, so PyInstaller never sees their imports: they become hidden imports."""
    modules: set[str] = set()
    for path in (root / "db" / "migrations").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules.add(node.module)
                # `from alembic import op`: op may be a module, not an attribute.
                modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return sorted(m for m in modules if m.split(".")[0] not in {"__future__"})


def write_dist_info(product: Product, target: Path) -> Path:
    """A minimal <name>-<version>.dist-info, so importlib.metadata (app.__version__) reports
    the pyproject version inside the bundle even when the app was never pip-installed."""
    folder = target / f"{product.name}-{product.version}.dist-info"
    folder.mkdir(parents=True, exist_ok=True)
    metadata = (
        f"Metadata-Version: 2.1\nName: {product.name}\nVersion: {product.version}\n"
        f"Summary: {product.description}\n"
    )
    (folder / "METADATA").write_text(metadata, encoding="utf-8")
    return folder


def strip_libraries(bundle: Path) -> int:
    """Strip debug symbols from the bundle's shared libraries; returns the bytes saved.

    PyInstaller's own strip would also rewrite the libraries wheels graft in `<pkg>.libs/`
    (auditwheel patches them), after which numpy's OpenBLAS no longer loads ("ELF load
    command address/offset not page-aligned"): those folders are left alone.
    """
    strip = shutil.which("strip")
    if strip is None:
        return 0
    saved = 0
    for path in sorted(bundle.rglob("*.so*")):
        if not path.is_file() or path.is_symlink() or any(p.endswith(".libs") for p in path.parts):
            continue
        before = path.stat().st_size
        result = subprocess.run([strip, "--strip-unneeded", str(path)], capture_output=True)
        if result.returncode == 0:
            saved += before - path.stat().st_size
    return saved


def iss_defines(product: Product) -> str:
    """Inno Setup preprocessor #defines (packaging/windows/jixiao.iss includes them).

    A file rather than /D options: Chinese on the iscc command line depends on the console
    code page. AppVersion may still come from /DAppVersion=...
    """
    values = {
        "ProductName": product.product_name,
        "Publisher": product.publisher,
        "ExeName": product.executable,
        "AppId": product.windows_app_id,
        "VersionNumbers": ".".join(str(n) for n in product.version_tuple),
    }
    lines = [f'#define {key} "{value}"' for key, value in values.items()]
    lines += ["#ifndef AppVersion", f'  #define AppVersion "{product.version}"', "#endif"]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "iss":
        target = Path(argv[1])
        target.parent.mkdir(parents=True, exist_ok=True)
        # UTF-8 with BOM: Inno Setup reads files without one in the ANSI code page.
        target.write_text(iss_defines(read_product()), encoding="utf-8-sig")
        return 0
    if len(argv) == 2 and argv[0] == "get":
        value = asdict(read_product()).get(argv[1])
        if value is None:
            print(f"unknown field {argv[1]!r}", file=sys.stderr)
            return 2
        sys.stdout.buffer.write(f"{value}\n".encode())
        return 0
    print("usage: meta.py get FIELD | meta.py iss FILE", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
