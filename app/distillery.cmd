@echo off
rem Distillery launcher for Windows.
rem
rem Finds the application jar and a Java 17+ runtime, then runs:
rem   java %DEFAULT_JVM_OPTS% %JAVA_OPTS% -jar distillery-<version>.jar %*
rem
rem Jar search order:
rem   1. %DISTILLERY_JAR%, if set
rem   2. <launcher dir>\..\target\distillery-*.jar   (Maven build output)
rem   3. <launcher dir>\..\lib\distillery-*.jar      (installed layout)
rem Java: %JAVA_HOME%\bin\java.exe if JAVA_HOME is set, otherwise java.exe on PATH.
rem JAVA_OPTS from the environment is appended after DEFAULT_JVM_OPTS, so it
rem adds to or overrides them. DISTILLERY_HOME moves the data directory
rem (default %USERPROFILE%\.distillery).

setlocal EnableExtensions DisableDelayedExpansion

rem Default JVM options. These are the same values as in distillery.conf
rem (used by the Linux/macOS launcher); see that file for what each one does
rem and keep the two in sync.
set "DEFAULT_JVM_OPTS=-Dai.djl.offline=true -Xmx4g -Dfile.encoding=UTF-8"

set "MIN_JAVA=17"
for %%I in ("%~dp0..") do set "APP_HOME=%%~fI"

rem ---- locate the application jar -------------------------------------------
set "JAR="
if not defined DISTILLERY_JAR goto search_jar
set "DISTILLERY_JAR=%DISTILLERY_JAR:"=%"
if exist "%DISTILLERY_JAR%" (
    set "JAR=%DISTILLERY_JAR%"
    goto find_java
)
>&2 echo distillery: DISTILLERY_JAR is set to "%DISTILLERY_JAR%", but that file does not exist.
exit /b 1

:search_jar
call :find_jar "%APP_HOME%\target"
if not defined JAR call :find_jar "%APP_HOME%\lib"
if defined JAR goto find_java
>&2 echo distillery: cannot find the Distillery application jar.
>&2 echo   Looked in: %APP_HOME%\target\distillery-*.jar
>&2 echo              %APP_HOME%\lib\distillery-*.jar
>&2 echo   Build it first, from %APP_HOME%:
>&2 echo       mvn -B -ntp package -DskipTests
>&2 echo   or point DISTILLERY_JAR at the jar.
exit /b 1

rem ---- locate java ----------------------------------------------------------
:find_java
if not defined JAVA_HOME goto java_on_path
set "JAVA_HOME=%JAVA_HOME:"=%"
set "JAVA=%JAVA_HOME%\bin\java.exe"
if exist "%JAVA%" goto check_version
>&2 echo distillery: JAVA_HOME is set to "%JAVA_HOME%", but "%JAVA%" does not exist.
>&2 echo   Point JAVA_HOME at a JDK/JRE %MIN_JAVA% or newer, or unset it to use java.exe from PATH.
exit /b 1

:java_on_path
set "JAVA="
for %%J in (java.exe) do set "JAVA=%%~$PATH:J"
if defined JAVA goto check_version
>&2 echo distillery: no Java runtime found: Distillery needs a JDK/JRE %MIN_JAVA% or newer.
>&2 echo   Install one, for example with "winget install EclipseAdoptium.Temurin.17.JRE",
>&2 echo   and put it on PATH or set JAVA_HOME.
exit /b 1

rem ---- check the Java major version -----------------------------------------
rem "java -fullversion" prints one line such as: openjdk full version "17.0.15+6"
rem or, for Java 8: java full version "1.8.0_392-b08".
:check_version
set "JAVA_VERSION="
for /f "delims=" %%L in ('call "%JAVA%" -fullversion 2^>^&1 ^| findstr /i /c:"version"') do if not defined JAVA_VERSION set "JAVA_VERSION=%%L"
rem Keep only what is between the quotes: cut up to the first quote, then drop the last one.
if defined JAVA_VERSION set "JAVA_VERSION=%JAVA_VERSION:*"=%"
if defined JAVA_VERSION set "JAVA_VERSION=%JAVA_VERSION:"=%"
set "JAVA_MAJOR="
if defined JAVA_VERSION for /f "tokens=1,2 delims=.-+_" %%A in ("%JAVA_VERSION%") do (
    if "%%A"=="1" (set "JAVA_MAJOR=%%B") else (set "JAVA_MAJOR=%%A")
)
rem Anything that is not a plain number counts as "unknown".
if defined JAVA_MAJOR for /f "delims=0123456789" %%X in ("%JAVA_MAJOR%") do set "JAVA_MAJOR="
if defined JAVA_MAJOR goto compare_version
>&2 echo distillery: warning: could not determine the version of "%JAVA%"; Java %MIN_JAVA%+ is required.
goto run
:compare_version
if %JAVA_MAJOR% GEQ %MIN_JAVA% goto run
>&2 echo distillery: Distillery needs Java %MIN_JAVA% or newer, but "%JAVA%" is Java %JAVA_VERSION%.
>&2 echo   Install a JDK/JRE %MIN_JAVA%+ and set JAVA_HOME to it, or put it first on PATH.
exit /b 1

rem ---- run --------------------------------------------------------------------
:run
"%JAVA%" %DEFAULT_JVM_OPTS% %JAVA_OPTS% -jar "%JAR%" %*
exit /b %ERRORLEVEL%


rem ---- subroutines ------------------------------------------------------------

rem :find_jar DIR -- sets JAR to the newest DIR\distillery-*.jar that is the
rem runnable application jar (not a -sources/-javadoc/-tests jar).
:find_jar
if not exist "%~1\" exit /b 0
for /f "delims=" %%F in ('dir /b /a:-d /o:d "%~1\distillery-*.jar" 2^>nul') do call :consider_jar "%~1\%%F"
exit /b 0

:consider_jar
if /i not "%~x1"==".jar" exit /b 0
set "CANDIDATE=%~n1"
if /i "%CANDIDATE:~-8%"=="-sources" exit /b 0
if /i "%CANDIDATE:~-8%"=="-javadoc" exit /b 0
if /i "%CANDIDATE:~-6%"=="-tests" exit /b 0
set "JAR=%~f1"
exit /b 0
