import sys

from ipdata.cli import main

sys.exit(main())
