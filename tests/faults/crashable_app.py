"""gunicorn app for the fault tests: kapcourse, with the first grading paused inside its transaction.

The pause sits where the grade is written but not yet committed, so the test can SIGKILL the worker
at the worst moment of a submit. It pauses once (a marker file records it), so the respawned worker
behaves normally.
"""
import os
import time

from kapcourse import create_app
from kapcourse.services import events

MARKER = os.environ["FAULT_MARKER"]
_publish = events.publish


def _paused_publish(name, **payload):
    if name == "quiz.attempt_graded" and not os.path.exists(MARKER):
        with open(MARKER, "w") as handle:
            handle.write(str(os.getpid()))
        time.sleep(60)  # the test kills this worker now
    return _publish(name, **payload)


events.publish = _paused_publish
app = create_app()
