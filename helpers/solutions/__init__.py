"""Reference solutions, one module per week, GENERATED from the master notebooks by `python -m grader build`."""
