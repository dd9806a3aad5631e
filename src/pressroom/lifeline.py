"""Child processes that die with their parent: `pressroom serve`'s publisher and workers.

A `kill -9` of the server's master runs none of its clean-up, so its children must notice
by themselves: on Linux the kernel tells them (prctl PR_SET_PDEATHSIG), everywhere they can
watch their parent's pid (a child whose parent died is re-parented to another process).
"""

import ctypes
import ctypes.util
import os
import signal
import sys

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(parent_pid: int, sig: int = signal.SIGTERM) -> bool:
    """Ask the kernel to send `sig` to this process when its parent exits (Linux only);
    exit at once if the parent `parent_pid` is already gone. True if the kernel will tell."""
    armed = False
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            armed = libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0
        except (OSError, AttributeError):
            armed = False
    # The parent may have died before the prctl: then no signal will ever come.
    if not parent_alive(parent_pid):
        os.kill(os.getpid(), sig)
    return armed


def parent_alive(parent_pid: int) -> bool:
    """Whether `parent_pid` is still this process's parent (the watch, for every system)."""
    return os.getppid() == parent_pid
