"""nbgrader settings for the learner's lab (`make lab`): what the notebook toolbar's *Validate* button uses.

Validate runs the whole notebook in a fresh kernel, as autograding does. nbgrader's default limit of 30 s per cell
is shorter than a training cell of C1W1, C1W3 or C3W2 in full mode, so a correct notebook would read as failed; the
limit here matches the instructor's (grader/nbgrader_config.py).
"""
c = get_config()  # noqa: F821 - provided by nbgrader / traitlets

c.Execute.timeout = 600
# Validate's kernel, like the lab's own (lab/common/jupyter_server_config.json), gets CurveZMQ keys: ipykernel then
# does not log "Kernel is running over TCP without encryption" at every press.
c.KernelManager.transport_encryption = "auto"
