#!/usr/bin/env bash
# Build the Linux release files (Debian / UOS / 麒麟 style desktops):
#   dist/jixiao/                                 the PyInstaller one-folder bundle
#   dist/jixiao-<version>-linux-x86_64.tar.gz    per-user install (bash install.sh inside)
#   dist/jixiao_<version>_amd64.deb              system install into /opt/jixiao
#
#   bash packaging/linux/build.sh [--no-deb | --bundle-only]
#
# Environment: VENV (default build/venv-bundle; created with $PYTHON, default python3, and
# the app plus PyInstaller installed; an existing VENV only gets PyInstaller added),
# EXTRA_PIP (extra requirements for a new VENV, e.g. "pyside6-essentials<6.10" for glibc 2.28).
# The bundle runs only where glibc is at least the newest version it references: the script
# prints it. Build on the oldest system you must support (see packaging/BUILD.md).
set -euo pipefail
cd "$(dirname "$0")/../.."

python="${PYTHON:-python3}"
venv="${VENV:-build/venv-bundle}"
make_deb=1 make_tar=1
case "${1:-}" in
  --no-deb) make_deb=0 ;;
  --bundle-only) make_deb=0 make_tar=0 ;;
  "") ;;
  *) echo "usage: build.sh [--no-deb | --bundle-only]" >&2; exit 2 ;;
esac

if [ ! -x "$venv/bin/python" ]; then
  echo "== creating $venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
  # shellcheck disable=SC2086  # EXTRA_PIP is a list of requirements
  "$venv/bin/python" -m pip install -q . pyinstaller ${EXTRA_PIP:-}
elif ! "$venv/bin/python" -c "import PyInstaller" 2>/dev/null; then
  "$venv/bin/python" -m pip install -q pyinstaller
fi

meta() { "$venv/bin/python" packaging/meta.py get "$1"; }
version="$(meta version)"
exe="$(meta executable)"
name="$(meta name)"

echo "== PyInstaller ($("$venv/bin/python" -V))"
"$venv/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/jixiao.spec
bundle="dist/$exe"

# The newest glibc symbol any bundled binary needs = the oldest system it can run on.
glibc="$(find "$bundle" -type f \( -name '*.so*' -o -name "$exe" \) -exec objdump -T {} + 2>/dev/null \
  | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -t. -k1,1n -k2,2n -u | tail -1)"
echo "== bundle: $(du -sh "$bundle" | cut -f1), needs glibc >= ${glibc:-?}"

[ "$make_tar" = 1 ] || exit 0
echo "== tar.gz"
stage="build/stage/jixiao-$version"
rm -rf "build/stage" && mkdir -p "$stage"
cp -a "$bundle" "$stage/"
cp packaging/linux/jixiao.desktop packaging/linux/install.sh "$stage/"
cp resources/icons/jixiao.png "$stage/"
tarball="dist/jixiao-$version-linux-x86_64.tar.gz"
tar -C build/stage -czf "$tarball" "jixiao-$version"
echo "   $tarball ($(du -h "$tarball" | cut -f1))"

[ "$make_deb" = 1 ] || exit 0
if ! command -v dpkg-deb >/dev/null; then
  echo "dpkg-deb not found: no .deb built"
  exit 0
fi
echo "== deb"
root="build/deb"
rm -rf "$root" && mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" \
  "$root/usr/share/applications" "$root/usr/share/icons/hicolor/256x256/apps"
cp -a "$bundle" "$root/opt/$exe"
ln -s "/opt/$exe/$exe" "$root/usr/bin/$exe"
cp packaging/linux/jixiao.desktop "$root/usr/share/applications/$exe.desktop"
cp resources/icons/jixiao.png "$root/usr/share/icons/hicolor/256x256/apps/$exe.png"
size_kb="$(du -sk "$root" | cut -f1)"
cat >"$root/DEBIAN/control" <<CONTROL
Package: $name
Version: $version
Architecture: amd64
Maintainer: $(meta publisher) <jixiao@localhost>
Installed-Size: $size_kb
Depends: libc6 (>= ${glibc:-2.28}), libgl1, libegl1, libxcb1, fontconfig
Recommends: fonts-wqy-zenhei | fonts-wqy-microhei, fonts-arphic-uming, fonts-arphic-ukai, fonts-arphic-gbsn00lp
Section: misc
Priority: optional
Description: $(meta description)
 预算绩效管理：绩效目标、运行监控、绩效自评、抽查复核与结果应用。
 程序安装在 /opt/$exe，数据保存在每个用户的 ~/.local/share/jixiao。
CONTROL
cat >"$root/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
command -v update-desktop-database >/dev/null && update-desktop-database -q /usr/share/applications || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
exit 0
POSTINST
cp "$root/DEBIAN/postinst" "$root/DEBIAN/postrm"
chmod 755 "$root/DEBIAN/postinst" "$root/DEBIAN/postrm"
deb="dist/${name}_${version}_amd64.deb"
dpkg-deb --root-owner-group --build "$root" "$deb" >/dev/null
echo "   $deb ($(du -h "$deb" | cut -f1))"
