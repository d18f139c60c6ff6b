; Inno Setup 6 script: a per-user installer for the PyInstaller bundle in dist\jixiao.
; Build it with packaging\windows\build.ps1, which writes build\jixiao-defines.iss (name,
; publisher, AppId, version from pyproject.toml) and runs:
;   iscc /DAppVersion=<version> packaging\windows\jixiao.iss
; Saved as UTF-8 with BOM: Inno Setup reads files without a BOM in the ANSI code page.
;
; No administrator rights: installs into %LOCALAPPDATA%\Programs\jixiao. The user's data
; (database, backups) lives in %LOCALAPPDATA%\jixiao, which this installer never touches:
; the uninstaller removes only the program files and shortcuts and keeps the data folder.

#include "..\..\build\jixiao-defines.iss"

; Chinese wizard texts: ChineseSimplified.isl is an "unofficial" Inno Setup translation that
; the installer does not ship. Put it next to this script (build.ps1 downloads it) or into
; Inno Setup's Languages folder. Source: https://github.com/jrsoftware/issrc ->
; Files/Languages/Unofficial/ChineseSimplified.isl (use the tag of your Inno Setup version).
#if FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
  #define ChineseMessages "ChineseSimplified.isl"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #define ChineseMessages "compiler:Languages\ChineseSimplified.isl"
#else
  #error ChineseSimplified.isl not found: see the comment above (packaging\INSTALL.zh.md).
#endif

[Setup]
; The doubled brace writes a literal "{": AppId must stay the same for every version.
AppId={{{#AppId}}
AppName={#ProductName}
AppVersion={#AppVersion}
AppVerName={#ProductName} {#AppVersion}
AppPublisher={#Publisher}
VersionInfoVersion={#VersionNumbers}
VersionInfoProductName={#ProductName}
PrivilegesRequired=lowest
DefaultDirName={userpf}\{#ExeName}
DefaultGroupName={#ProductName}
DisableProgramGroupPage=yes
DisableDirPage=auto
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename={#ExeName}-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\resources\icons\jixiao.ico
UninstallDisplayIcon={app}\{#ExeName}.exe
UninstallDisplayName={#ProductName}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
ShowLanguageDialog=no
; Upgrading while the program runs: offer to close it rather than fail on locked files.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "chs"; MessagesFile: "{#ChineseMessages}"

[CustomMessages]
chs.DataKept=程序已卸载。%n%n您的数据（数据库和备份）仍保存在：%n%1%n%n如确定不再需要，可以手动删除该文件夹。

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An upgrade replaces the whole bundle: no library of the old version may linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "..\..\dist\{#ExeName}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#ProductName}"; Filename: "{app}\{#ExeName}.exe"; WorkingDir: "{app}"
Name: "{autodesktop}\{#ProductName}"; Filename: "{app}\{#ExeName}.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#ExeName}.exe"; Description: "{cm:LaunchProgram,{#ProductName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only the program folder. The data folder {localappdata}\jixiao is deliberately kept.
Type: filesandordirs; Name: "{app}"

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [ExpandConstant('{localappdata}\jixiao')]),
      mbInformation, MB_OK);
end;
