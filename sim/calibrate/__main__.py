import sys

from sim.calibrate.app import main

sys.exit(main())
