import sys

from gridapp.app import main

sys.exit(main())
