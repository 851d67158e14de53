"""Allow `python -m reelterm`."""

from reelterm.cli.main import main

raise SystemExit(main())
