from sim.app import main
from sim.cli import unknown_keys_reported

with unknown_keys_reported():
    main()
