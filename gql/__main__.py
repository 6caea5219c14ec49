"""`python -m gql`: the `dxgraph` command."""

from gql.cli import main

raise SystemExit(main())
