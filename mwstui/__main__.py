"""``python -m mwstui`` runs the command line."""

from mwstui.cli import main

raise SystemExit(main())
