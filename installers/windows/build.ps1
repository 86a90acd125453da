<#
.SYNOPSIS
  Builds Distillery's Windows installer (.msi) with jlink + jpackage (JDK 17) into target\installers\.

.DESCRIPTION
  The same steps as installers/linux/build.sh, for Windows x64:
    target\installers\work\runtime\        jlinked runtime: JDK modules + JavaFX 21 (its .dll in bin\)
    target\installers\Distillery\          app-image: Distillery.exe (the window, no console) and
                                           distillery-cli.exe (a console launcher for the command line)
    target\installers\Distillery-<v>.msi   per-machine install to C:\Program Files\Distillery, Start menu
                                           entry, desktop shortcut, .onnx associated, upgrade in place

  Needs: a JDK 17 with jmods (e.g. Temurin 17; JAVA_HOME set), Maven 3.8+, WiX Toolset 3.x
  (candle.exe and light.exe on PATH; jpackage 17 does not use WiX 4+). The `windows` Maven profile
  switches the JavaCPP and PyTorch natives by itself on Windows; JavaFX picks its -win jars itself.
  Not runnable on the Linux build machine: see installers\README.md for how it is checked.

.PARAMETER SkipMsi
  Stop after the app-image.

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File installers\windows\build.ps1
#>
param([switch]$SkipMsi)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$Root = (Resolve-Path (Join-Path $PSScriptRoot '..\..')).Path
Set-Location $Root

function Step([string]$what) { Write-Host "`n== $what" }
# Native commands do not throw on failure: check every exit code.
function Run([string]$exe, [string[]]$argv) {
    & $exe @argv
    if ($LASTEXITCODE -ne 0) { throw "$exe failed with exit code $LASTEXITCODE" }
}

# --- JDK, WiX, versions
if (-not $env:JAVA_HOME) { throw 'Set JAVA_HOME to a JDK 17 (with jmods\), e.g. Temurin 17.' }
$Jdk = $env:JAVA_HOME
foreach ($t in 'java', 'jar', 'jlink', 'jpackage', 'jmod', 'jdeps') {
    if (-not (Test-Path "$Jdk\bin\$t.exe")) { throw "$Jdk\bin\$t.exe is missing: JAVA_HOME must be a full JDK 17." }
}
if (-not (Test-Path "$Jdk\jmods")) { throw "$Jdk\jmods is missing: this JDK cannot jlink." }
if (-not $SkipMsi -and -not (Get-Command candle.exe -ErrorAction SilentlyContinue)) {
    throw 'WiX Toolset 3.x is needed for the .msi (candle.exe, light.exe on PATH): https://wixtoolset.org/docs/wix3/'
}

[xml]$pom = Get-Content pom.xml
$PomVersion = $pom.project.version
$AppVersion = $PomVersion -replace '-SNAPSHOT$', ''
$FxVersion = $pom.project.properties.'javafx.version'
$Jar = "target\distillery-$PomVersion.jar"
$Start = Get-Date

# built again when missing or older than any source (a stale jar would be packaged without a word)
function Test-Stale {
    $built = (Get-Item $Jar).LastWriteTime
    $newer = Get-ChildItem -Recurse -File src, assets, pom.xml | Where-Object { $_.LastWriteTime -gt $built } |
        Select-Object -First 1
    return $null -ne $newer
}
if (-not (Test-Path $Jar) -or -not (Test-Path target\lib) -or (Test-Stale)) {
    Step "$Jar missing or older than the sources: mvn -B -ntp package -DskipTests"
    Run 'mvn' @('-B', '-ntp', 'package', '-DskipTests')
}

$Out = 'target\installers'
$Work = "$Out\work"
if (Test-Path $Out) { Remove-Item -Recurse -Force $Out }
New-Item -ItemType Directory -Force "$Work\input", "$Work\jmods" | Out-Null

# --- 1. Class path: the app jar and every library but JavaFX
Step 'class path: the app jar and its libraries, JavaFX aside'
Copy-Item $Jar "$Work\input\"
Get-ChildItem target\lib\*.jar | Where-Object { $_.Name -notlike 'javafx-*' } | Copy-Item -Destination "$Work\input\"

# --- 2. JavaFX jars repacked as jmods, their .dll as native libraries (jlink puts them in bin\,
#        where JavaFX looks first; nothing is unpacked to %USERPROFILE%\.openjfx at run time)
Step "JavaFX $FxVersion as jmods"
$FxModules = 'base', 'graphics', 'controls', 'fxml', 'swing'
foreach ($m in $FxModules) {
    $fxJar = Get-ChildItem "target\lib\javafx-$m-$FxVersion-win*.jar" | Select-Object -First 1
    if (-not $fxJar) { throw "target\lib\javafx-$m-$FxVersion-win.jar not found" }
    $classes = "$Work\fx\classes\javafx.$m"
    $native = "$Work\fx\native\javafx.$m"
    New-Item -ItemType Directory -Force $classes, $native | Out-Null
    Push-Location $classes
    try { Run "$Jdk\bin\jar.exe" @('xf', $fxJar.FullName) } finally { Pop-Location }
    Remove-Item -Recurse -Force "$classes\META-INF" -ErrorAction SilentlyContinue
    Get-ChildItem "$classes\*.dll" | Move-Item -Destination $native
    $jmodArgs = @('create', '--class-path', $classes)
    if (Get-ChildItem $native) { $jmodArgs += @('--libs', $native) }
    Run "$Jdk\bin\jmod.exe" ($jmodArgs + "$Work\jmods\javafx.$m.jmod")
}

# --- 3. jdeps + the hand list (see installers/common.sh for why each one), then jlink
Step 'jdeps: the JDK modules the jars use'
# From the app jar, recursively through the libraries (every jar as a root makes jdeps resolve JavaCV as a module).
$appJar = "$Work\input\" + (Split-Path $Jar -Leaf)
$libs = (Get-ChildItem "$Work\input\*.jar" | Where-Object { $_.FullName -ne (Resolve-Path $appJar).Path }).FullName
$found = & "$Jdk\bin\jdeps.exe" --print-module-deps --ignore-missing-deps --multi-release 17 -q --recursive `
    --module-path "$Work\fx\classes" --class-path ($libs -join ';') $appJar
if ($LASTEXITCODE -ne 0 -or -not $found) { throw 'jdeps failed' }
$hand = 'jdk.crypto.ec', 'jdk.localedata', 'jdk.charsets', 'jdk.zipfs', 'jdk.naming.dns', 'jdk.management', 'jdk.unsupported'
$modules = (($found -split ',') + $hand + ($FxModules | ForEach-Object { "javafx.$_" }) | Sort-Object -Unique) -join ','
Write-Host "modules: $modules"
Step 'jlink'
Run "$Jdk\bin\jlink.exe" @('--module-path', "$Jdk\jmods;$Work\jmods", '--add-modules', $modules,
    '--strip-debug', '--no-header-files', '--no-man-pages', '--compress=2', '--output', "$Work\runtime")

# --- 4. App-image. JVM options: app\distillery.cmd's defaults (kept in sync with app/distillery.conf)
#        and the JavaFX internals ControlsFX/ChartFX use, exported to the class path.
$jvm = @('-Dai.djl.offline=true', '-Xmx4g', '-Dfile.encoding=UTF-8') + (@(
        'javafx.base/com.sun.javafx.event', 'javafx.base/com.sun.javafx.runtime',
        'javafx.controls/com.sun.javafx.scene.control', 'javafx.controls/com.sun.javafx.scene.control.behavior',
        'javafx.controls/com.sun.javafx.scene.control.skin', 'javafx.graphics/com.sun.javafx.tk'
    ) | ForEach-Object { "--add-exports=$_=ALL-UNNAMED" })
$javaOptions = @()
foreach ($o in $jvm) { $javaOptions += @('--java-options', $o) }

# A second launcher with a console, for the command line (Distillery.exe has none, so
# `Distillery.exe --version` would print nowhere). Same main class, same options.
"win-console=true" | Set-Content -Encoding ascii "$Work\cli.properties"

$common = @('--name', 'Distillery', '--app-version', $AppVersion, '--vendor', 'Distillery',
    '--description', 'Distill big ONNX vision models into tiny CPU students, test them live, and mine with them',
    '--copyright', 'Distillery contributors')

Step 'jpackage --type app-image'
Run "$Jdk\bin\jpackage.exe" ($common + @('--type', 'app-image', '--input', "$Work\input",
        '--main-jar', (Split-Path $Jar -Leaf), '--main-class', 'dev.distillery.Launcher',
        '--runtime-image', "$Work\runtime", '--icon', 'assets\icons\distillery.ico',
        '--add-launcher', "distillery-cli=$Work\cli.properties", '--dest', $Out) + $javaOptions)
Run "$Out\Distillery\distillery-cli.exe" @('--version')

# --- 5. The .msi: Start menu group, desktop shortcut, choice of folder, .onnx association with the
#        icon. The upgrade UUID is fixed forever so a newer .msi replaces an older one in place.
if (-not $SkipMsi) {
    @(
        'extension=onnx'
        'mime-type=application/x-onnx'
        'description=ONNX model'
        "icon=$Root\assets\icons\distillery.ico"
    ) | Set-Content -Encoding ascii "$Work\onnx.properties"
    Step 'jpackage --type msi'
    Run "$Jdk\bin\jpackage.exe" ($common + @('--type', 'msi', '--app-image', "$Out\Distillery",
            '--file-associations', "$Work\onnx.properties", '--icon', 'assets\icons\distillery.ico',
            '--win-menu', '--win-menu-group', 'Distillery', '--win-shortcut', '--win-dir-chooser',
            '--win-upgrade-uuid', '5248d305-651b-4aa3-81c7-3f7fa1db26a5', '--dest', $Out))
}

Step ("done in {0:N0} s" -f ((Get-Date) - $Start).TotalSeconds)
Get-ChildItem $Out -File | Format-Table Name, Length
