import gc
import os
import sys

gc.disable()  # until app.main.start_up_done: the start-up's imports leave no garbage
from app.main import main  # noqa: E402

try:
    code = main()
    sys.stdout.flush()
    # The process ends now: the collections of interpreter shutdown would walk every
    # object left (0.15 s after a year's scoring) only to free memory the OS takes back.
    gc.freeze()
except BrokenPipeError:
    # The reader of our output went away (e.g. `| head`): not an error, stop quietly.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    code = 0
sys.exit(code)
