"""`python -m dxsim`: the simulator's CLI."""

from dxsim.cli import main

raise SystemExit(main())
