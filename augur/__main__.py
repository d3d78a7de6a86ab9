"""``python -m augur``: the ``augur`` command, for an environment whose scripts folder is not on PATH."""

import sys

from augur.cli import main

sys.exit(main())
