import sys

from experiments.runner import main

sys.exit(main())
