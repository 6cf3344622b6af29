"""Instructor side of the course: nbgrader course root, hidden tests, mistakes corpus and the `python -m grader` CLI."""
