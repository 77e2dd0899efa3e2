"""Santunan NTT: `python run.py [--config PATH] COMMAND` (the commands: README, "Command line").

The only module that reads the environment and the configuration files: everything below
receives an AppContext.
"""

from __future__ import annotations

import os
import sys

from cli import main

if __name__ in {"__main__", "__mp_main__"}:
    if os.environ.get("NICEGUI_USER_SIMULATION"):
        # NiceGUI's `user` test fixture executes this file: build the app, don't parse pytest's argv.
        main(["serve"], os.environ)
    else:
        sys.exit(main(sys.argv[1:], os.environ))
