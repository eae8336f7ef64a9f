"""`python -m secmodel.judge FILE.jsonl`."""

import sys

from .cli import main

sys.exit(main())
