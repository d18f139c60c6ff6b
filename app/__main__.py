import os
import sys

from app.main import main

try:
    code = main()
    sys.stdout.flush()
except BrokenPipeError:
    # The reader of our output went away (e.g. `| head`): not an error, stop quietly.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    code = 0
sys.exit(code)
