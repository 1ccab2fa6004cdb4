import atexit
import gc

from sim.app import main
from sim.cli import unknown_keys_reported

# Registered first, so run last at exit (after logging and joblib have shut down): the cyclic
# collector's passes over every object still alive while the interpreter finalizes (modules of
# pandas, pyarrow, matplotlib: hundreds of thousands of objects) took a third of a second, and
# all they would free is memory the operating system takes back anyway. Files and streams are
# closed or flushed before (write_run closes what it writes; logging.shutdown and the
# interpreter flush the rest).
atexit.register(gc.freeze)

with unknown_keys_reported():
    main()
