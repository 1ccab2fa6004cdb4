import atexit
import gc

from sim.app import main
from sim.cli import unknown_keys_reported

# At exit, move every live object out of the cyclic collector's reach: the interpreter's own
# collections while it finalizes walked every object of pandas, pyarrow and matplotlib (about a
# third of a second) to free memory the operating system takes back anyway. It runs before the
# interpreter finalizes, like every exit handler; nothing is left unwritten by it: write_run
# closes every file it writes, logging's own exit handler closes the log files, and the
# interpreter flushes stdout and stderr after the handlers.
atexit.register(gc.freeze)

with unknown_keys_reported():
    main()
