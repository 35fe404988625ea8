"""`python -m gridapp.cli`: the same as `gridapp-cli`."""

import sys

from gridapp.cli import main

sys.exit(main())
