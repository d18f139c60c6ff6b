import gc
import os
import sys

from app.main import main

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
