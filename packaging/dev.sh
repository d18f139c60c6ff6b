#!/usr/bin/env bash
# 一步完成：安装系统依赖（Debian / UOS / 麒麟，用 apt）、创建虚拟环境、安装本程序，然后启动或测试。
#   bash packaging/dev.sh run    安装并启动程序（首次启动自动生成“示例县”演示数据库）
#   bash packaging/dev.sh test   安装并运行代码检查和全部测试
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-run}"
python="${PYTHON:-python3}"
venv="${VENV:-.venv}"

# Qt needs these libraries even offscreen; Xvfb and the xcb libraries give a real window on
# a machine without a screen. The reports' typefaces (TrueType, so PDFs embed them): 文鼎
# 简报宋 (title), UMing (宋, tables), 文泉驿正黑 (黑, 一、 headings, charts), UKai (楷, （一）);
# 仿宋 (body) comes from install_fangsong below.
system_packages=(
  python3-venv libegl1 libgl1 libfontconfig1 libglib2.0-0 libxkbcommon0 libdbus-1-3
  fonts-wqy-zenhei fonts-arphic-uming fonts-arphic-ukai fonts-arphic-gbsn00lp xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0
)

install_system_packages() {
  command -v apt-get >/dev/null || return 0
  local missing=()
  for pkg in "${system_packages[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "安装系统依赖：${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# 仿宋 for the body: no Debian font package has one with simplified characters, so the
# open-licensed FandolFang (GPL with the font exception) is taken from texlive-lang-chinese
# (downloaded, not installed: its TeX dependencies are not needed) and converted to TrueType,
# which reportlab can embed, into the user's font folder with its licence. Skipped quietly
# when apt cannot download it: the 报告 page and `report` then name the stand-in face.
install_fangsong() {
  local fonts="${XDG_DATA_HOME:-$HOME/.local/share}/fonts/fandol"
  [ -f "$fonts/FandolFang-Regular.ttf" ] && return 0
  command -v apt-get >/dev/null || return 0
  local tmp
  tmp="$(mktemp -d)"
  local src=./usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf
  local doc=./usr/share/doc/texlive-doc/fonts/fandol
  echo "准备仿宋字体（FandolFang，取自 texlive-lang-chinese，转换为 TrueType）…"
  if (cd "$tmp" && apt-get download texlive-lang-chinese >/dev/null 2>&1) \
    && dpkg-deb --fsys-tarfile "$tmp"/texlive-lang-chinese_*.deb \
      | tar -x -C "$tmp" "$src" "$doc/COPYING.gz" "$doc/README" \
    && "$venv/bin/python" -m app.reports.font_convert "$tmp/$src" "$tmp/FandolFang-Regular.ttf"
  then
    mkdir -p "$fonts"
    gzip -dc "$tmp/$doc/COPYING.gz" >"$fonts/COPYING"
    cp "$tmp/$doc/README" "$fonts/README"
    mv "$tmp/FandolFang-Regular.ttf" "$fonts/"
    command -v fc-cache >/dev/null && fc-cache -f "$fonts" >/dev/null 2>&1 || true
  else
    echo "未能准备仿宋字体，报告正文将用宋体类字体代替（生成报告时会提示）。"
  fi
  rm -rf "$tmp"
}

install_python_packages() {
  local extra="$1"
  [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q -e ".${extra}"
}

install_system_packages
case "$mode" in
  run)
    install_python_packages ""
    install_fangsong
    shift || true
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
      echo "未检测到图形界面，在虚拟屏幕（Xvfb）中启动。"
      exec xvfb-run -a -s "-screen 0 1440x900x24" "$venv/bin/python" -m app "$@"
    fi
    exec "$venv/bin/python" -m app "$@"
    ;;
  test)
    install_python_packages "[test]"
    install_fangsong
    export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}" LANG="${LANG:-C.UTF-8}"
    "$venv/bin/ruff" check app tests db
    "$venv/bin/ruff" format --check app tests db
    "$venv/bin/mypy"
    exec "$venv/bin/python" -m pytest -p no:cacheprovider "${@:2}"
    ;;
  *)
    echo "用法：bash packaging/dev.sh run|test" >&2
    exit 2
    ;;
esac
