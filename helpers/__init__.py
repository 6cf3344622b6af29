"""The thin package every course notebook imports.

``helpers.config`` holds the FAST switch, seeds and paths; ``helpers.data`` the loaders and generators;
``helpers.plots`` the figures; ``helpers.public_tests`` the learner-visible tests; ``helpers.solutions`` the
reference solutions (generated from the master notebooks by ``python -m grader build``).
"""

from helpers.config import DATA_DIR, FAST, seed_everything, setup_notebook

__all__ = ["DATA_DIR", "FAST", "seed_everything", "setup_notebook"]
