#!/usr/bin/env bash
# 为当前用户安装“预算绩效管理”（不需要管理员权限）：
#   bash install.sh              安装或升级到 ~/.local/share/jixiao-app，并添加开始菜单和桌面图标
#   bash install.sh --uninstall  卸载程序（保留数据文件夹 ~/.local/share/jixiao）
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
target="$data_home/jixiao-app"
menu="$data_home/applications/jixiao.desktop"
icon="$data_home/icons/hicolor/256x256/apps/jixiao.png"
desktop_dir="$(xdg-user-dir DESKTOP 2>/dev/null || echo "$HOME/Desktop")"
shortcut="$desktop_dir/jixiao.desktop"

refresh_menus() {
  command -v update-desktop-database >/dev/null && update-desktop-database -q "$data_home/applications" || true
  command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$data_home/icons/hicolor" || true
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$target" "$menu" "$icon" "$shortcut"
  refresh_menus
  echo "已卸载。数据文件夹 ${data_home}/jixiao 已保留（数据库、备份都在其中）。"
  exit 0
fi

echo "正在安装到 $target …"
rm -rf "$target.new"
mkdir -p "$target.new"
cp -a "$here/jixiao" "$target.new/"
rm -rf "$target"
mv "$target.new" "$target"
mkdir -p "$(dirname "$menu")" "$(dirname "$icon")"
cp "$here/jixiao.png" "$icon"
exe="$target/jixiao/jixiao"
# Exec/TryExec point at this user's copy (quoted: the home folder may contain spaces).
sed -e "s|^Exec=.*|Exec=\"$exe\"|" -e "s|^TryExec=.*|TryExec=$exe|" "$here/jixiao.desktop" >"$menu"
chmod +x "$menu"
if [ -d "$desktop_dir" ]; then
  cp "$menu" "$shortcut"
  chmod +x "$shortcut"
  # GNOME-style desktops ask before running a launcher unless it is marked trusted.
  command -v gio >/dev/null && gio set "$shortcut" metadata::trusted true 2>/dev/null || true
fi
refresh_menus
echo "安装完成：在开始菜单（办公）或桌面上打开“预算绩效管理”。"
echo "数据文件夹：${data_home}/jixiao（首次启动时创建，卸载时保留）"
