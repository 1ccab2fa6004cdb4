import atexit
import gc

from sim.app import main
from sim.cli import unknown_keys_reported

# The objects made by importing pandas, pyarrow, Hydra and the rest live until exit: moved out
# of the cyclic collector's reach now, its full passes during the run skip them (a default
# run's took 0.2 s, about half that after).
gc.freeze()
# At exit, the same for everything still alive: the interpreter's own collections while it
# finalizes walked every object of pandas, pyarrow and matplotlib (about a third of a second)
# to free memory the operating system takes back anyway. It runs before the interpreter
# finalizes, like every exit handler; nothing is left unwritten by it: write_run closes every
# file it writes, logging's own exit handler closes the log files, and the interpreter flushes
# stdout and stderr after the handlers.
atexit.register(gc.freeze)

with unknown_keys_reported():
    main()
