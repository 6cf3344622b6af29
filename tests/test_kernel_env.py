"""Kernels started by the tests see a learner's environment: without ``PYTEST_CURRENT_TEST`` (root conftest.py).

With it, ipykernel does not capture file-descriptor output, so native standard error (TensorFlow's C++ log lines)
would never reach a cell's outputs, and nbval's "no standard error" check could not fail."""

import os

import nbformat
from nbclient import NotebookClient


def test_kernels_started_by_the_tests_show_native_stderr(tmp_path):
    assert "PYTEST_CURRENT_TEST" in os.environ  # what the kernel would otherwise inherit
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("import os\nprint('PYTEST_CURRENT_TEST' in os.environ)"),
            nbformat.v4.new_code_cell("import os, time\nos.write(2, b'native line\\n')\ntime.sleep(0.5)"),
        ]
    )
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert nb.cells[0].outputs[0]["text"].strip() == "False"
    stderr = [out for out in nb.cells[1].outputs if out.get("name") == "stderr"]
    assert stderr and "native line" in stderr[0]["text"], nb.cells[1].outputs
