@echo off
rem kubectl (>= 1.26) runs kubectl_complete-podlife, found on PATH, to complete `kubectl podlife ^<TAB^>`;
rem podlife answers it itself (kubectl-podlife __complete), as bin/kubectl_complete-podlife does.
"%~dp0kubectl-podlife.cmd" __complete %*
exit /b %ERRORLEVEL%
