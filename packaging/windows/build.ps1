# Build the Windows installer: dist\jixiao-<version>-windows-x64-setup.exe
#
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
#
# Needs on the build PC: Python 3.12+ (python.org installer, with the "py" launcher), Inno
# Setup 6 (iscc.exe), internet access for pip (and for ChineseSimplified.isl, unless it is
# already next to jixiao.iss or in Inno Setup's Languages folder). Steps: a venv in
# build\venv-win, pip install . pyinstaller, PyInstaller (dist\jixiao), then iscc.
param(
    [string]$Python = "",        # a python.exe; default: the py launcher with -3.12
    [string]$Iscc = "",          # ISCC.exe; default: PATH, then the usual install folders
    [string]$InnoTag = "main"    # issrc tag for ChineseSimplified.isl, e.g. is-6_4_3
)
$ErrorActionPreference = "Stop"
$root = Resolve-Path (Join-Path $PSScriptRoot "..\..")
Set-Location $root

function Invoke-Checked([string]$exe, [string[]]$arguments) {
    & $exe @arguments
    if ($LASTEXITCODE -ne 0) { throw "$exe failed with exit code $LASTEXITCODE" }
}

$venv = "build\venv-win"
$py = Join-Path $venv "Scripts\python.exe"
if (-not (Test-Path $py)) {
    Write-Host "== creating $venv"
    if ($Python) { Invoke-Checked $Python @("-m", "venv", $venv) }
    else { Invoke-Checked "py" @("-3.12", "-m", "venv", $venv) }
    Invoke-Checked $py @("-m", "pip", "install", "-q", "--upgrade", "pip")
}
Invoke-Checked $py @("-m", "pip", "install", "-q", ".", "pyinstaller")

$version = (& $py packaging\meta.py get version).Trim()
Invoke-Checked $py @("packaging\meta.py", "iss", "build\jixiao-defines.iss")

Write-Host "== PyInstaller $version"
Invoke-Checked $py @("-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
    "--distpath", "dist", "--workpath", "build\pyinstaller", "packaging\jixiao.spec")

# Quick check of the bundle before packaging it (jixiao-cli.exe has a console for the output).
$smoke = Join-Path $env:TEMP ("jixiao-smoke-" + [guid]::NewGuid())
$env:QT_QPA_PLATFORM = "offscreen"
try { Invoke-Checked "dist\jixiao\jixiao-cli.exe" @("--smoke-test", $smoke) }
finally {
    Remove-Item Env:QT_QPA_PLATFORM
    Remove-Item -Recurse -Force $smoke -ErrorAction SilentlyContinue
}

if (-not $Iscc) {
    $found = Get-Command "iscc.exe" -ErrorAction SilentlyContinue
    $candidates = @(
        $(if ($found) { $found.Source }),
        "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
        "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
        "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe"
    ) | Where-Object { $_ -and (Test-Path $_) }
    if (-not $candidates) { throw "ISCC.exe (Inno Setup 6) not found: install it or pass -Iscc" }
    $Iscc = @($candidates)[0]
}

$isl = "packaging\windows\ChineseSimplified.isl"
$innoIsl = Join-Path (Split-Path $Iscc) "Languages\ChineseSimplified.isl"
if (-not (Test-Path $isl) -and -not (Test-Path $innoIsl)) {
    $url = "https://raw.githubusercontent.com/jrsoftware/issrc/$InnoTag/Files/Languages/Unofficial/ChineseSimplified.isl"
    Write-Host "== downloading $url"
    Invoke-WebRequest -UseBasicParsing -Uri $url -OutFile $isl
}

Write-Host "== Inno Setup"
Invoke-Checked $Iscc @("/Q", "/DAppVersion=$version", "packaging\windows\jixiao.iss")
Get-ChildItem "dist\*-windows-x64-setup.exe" | ForEach-Object { Write-Host "   $($_.FullName)" }
