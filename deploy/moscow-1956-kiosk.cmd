@echo off
rem Windows kiosk start (see docs/kiosk.md): put a shortcut to this file in the kiosk account's
rem Startup folder (Win+R, shell:startup). The game is started again whenever it stops with an
rem error (status 3: it failed three times in ten minutes), like systemd's Restart=always; when
rem staff leave it from the admin screen (status 0) it stays closed.
cd /d "%~dp0\.."
:loop
.venv\Scripts\python.exe main.py --kiosk --kiosk-config kiosk.yaml
if %errorlevel%==0 goto end
timeout /t 3 /nobreak >nul
goto loop
:end
