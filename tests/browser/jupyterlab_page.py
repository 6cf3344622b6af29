"""A learner's JupyterLab tab, driven through the page as a person drives it: the file browser, the Run menu,
Shift+Enter, the cell editor, the notebook toolbar's Validate button, the mouse on a slider.

Only the page is read back (prompts, output areas, dialogs); nothing reaches into JupyterLab's JavaScript objects.
"""

from __future__ import annotations

import json
import re
import time
from urllib.parse import quote

__all__ = ["LabPage"]

KERNEL_TIMEOUT_MS = 120_000
STDERR = "application/vnd.jupyter.stderr"

# Every output area of the open notebook: its cell's position among code cells, what each output is, and whether
# every picture in it has been decoded.
_OUTPUTS_JS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const cells = Array.from(panel.querySelectorAll('.jp-Notebook .jp-CodeCell'));
  return cells.map((cell, number) => {
    const outputs = Array.from(cell.querySelectorAll('.jp-OutputArea-output'));
    const images = Array.from(cell.querySelectorAll('.jp-OutputArea-output img'));
    return {
      number,
      prompt: (cell.querySelector('.jp-InputPrompt') || {}).textContent || '',
      kinds: outputs.map(o => o.getAttribute('data-mime-type') || ''),
      stderr: outputs.filter(o => o.getAttribute('data-mime-type') === 'STDERR_MIME').map(o => o.textContent.slice(0, 600)),
      images: images.length,
      drawn: images.filter(i => i.complete && i.naturalWidth > 0 && i.naturalHeight > 0).length,
      text: outputs.map(o => o.textContent).join('\\n').slice(0, 2000),
    };
  });
}""".replace("STDERR_MIME", STDERR)

# What a learner sees in one cell's output area, without the controls themselves (a slider's own readout moves too).
_OUTPUT_VIEW_JS = """(cell) => {
  const area = cell.querySelector('.jp-OutputArea').cloneNode(true);
  area.querySelectorAll('.widget-slider, .widget-readout, .jupyter-widget-slider').forEach(e => e.remove());
  const pictures = Array.from(cell.querySelectorAll('.jp-OutputArea img, .jp-OutputArea canvas'))
    .map(e => e.src || (e.toDataURL ? e.toDataURL() : ''));
  return area.textContent + '\\n' + pictures.join('\\n');
}"""


class LabPage:
    """One browser page on the test lab. ``shot(name)`` saves a numbered screenshot of the current step."""

    def __init__(self, lab, page, shots):
        self.lab, self.page, self._shots = lab, page, shots
        page.set_default_timeout(60_000)

    def shot(self, name: str, **kwargs):
        return self._shots(self.page, name, **kwargs)

    # --- opening things ---------------------------------------------------------------------------------------
    def open_lab(self) -> None:
        """The lab's start page, with a fresh workspace (no tabs left from another test)."""
        self.page.goto(f"{self.lab.url}/lab?reset&token={self.lab.token}")
        self.page.wait_for_selector(".jp-DirListing-item")

    def listed_files(self) -> list[str]:
        return [name.strip() for name in self.page.locator(".jp-DirListing-itemName").all_inner_texts()]

    def open_notebook(self, path: str, from_file_browser: bool = False) -> None:
        """Open a notebook (by double-clicking it in the file browser, or by its address) and wait for its kernel."""
        if from_file_browser:
            self.page.locator(".jp-DirListing-item", has_text=path).dblclick()
        else:
            self.page.goto(f"{self.lab.url}/lab/tree/{quote(path)}?reset&token={self.lab.token}")
        self.page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell")
        self.page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status=idle]", timeout=KERNEL_TIMEOUT_MS)
        # the status bar says Idle only once the kernel is connected (a cell run before then is dropped silently)
        self.page.wait_for_function(
            "() => /\\|\\s*Idle/.test(document.getElementById('jp-main-statusbar')?.textContent || '')",
            timeout=KERNEL_TIMEOUT_MS,
        )
        cells = len(json.loads((self.lab.root / path).read_text(encoding="utf-8"))["cells"])
        self.page.wait_for_function(  # every cell attached to the page (JupyterLab adds them while idle)
            "n => document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell').length >= n",
            arg=cells,
        )

    # --- cells ------------------------------------------------------------------------------------------------
    @property
    def code_cells(self):
        return self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-CodeCell")

    def cell_with(self, text: str):
        """The first code cell whose source contains ``text`` (found now; the locator stays on that cell when its
        source is edited later)."""
        # textContent: cells far off screen are not laid out (content-visibility), and their innerText is empty
        sources = self.code_cells.locator(".jp-InputArea-editor").all_text_contents()
        for number, source in enumerate(sources):
            if text in source:
                return self.code_cells.nth(number)
        raise AssertionError(f"no code cell contains {text!r}")

    def prompt(self, cell) -> str:
        # textContent, not innerText: JupyterLab skips rendering cells far off screen, and innerText is then empty
        return cell.locator(".jp-InputPrompt").text_content().strip()

    def select(self, cell) -> None:
        cell.scroll_into_view_if_needed()
        cell.locator(".jp-InputPrompt").click()

    def menu(self, menu: str, item: str) -> None:
        self.page.locator(".lm-MenuBar-item", has_text=re.compile(rf"^{menu}$")).click()
        self.page.locator(".lm-Menu-item:visible", has_text=re.compile(rf"^{re.escape(item)}")).first.click()

    def run_all_above(self, cell) -> None:
        """Run > Run All Above Selected Cell, and wait until those cells have run."""
        self.select(cell)
        self.menu("Run", "Run All Above Selected Cell")
        self.wait_until_idle()

    def run_all(self, timeout_s: float = 600) -> None:
        """Run > Run All Cells (with the notebook focused), and wait until the kernel has finished."""
        first = self.code_cells.first
        for _ in range(3):  # a learner clicks again when nothing happens
            self.select(first)
            self.menu("Run", "Run All Cells")
            deadline = time.monotonic() + 20
            while not (started := re.fullmatch(r"\[(\*|\d+)\]:", self.prompt(first))):
                if time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            if started:
                break
        else:
            raise TimeoutError("Run All Cells did not start running the notebook (three clicks)")
        self.wait_until_idle(timeout_s)

    def type_into(self, cell, source: str) -> None:
        """Replace a cell's code as a learner pasting it would: click into the editor, select all, insert."""
        cell.scroll_into_view_if_needed()
        cell.locator(".cm-content").click()
        self.page.keyboard.press("Control+a")
        self.page.keyboard.insert_text(source)

    def run(self, cell, timeout_s: float = 120) -> str:
        """Select a cell, press Shift+Enter, wait for its new execution count, return its output text."""
        before = self.prompt(cell)
        cell.locator(".cm-content").click()
        self.page.keyboard.press("Shift+Enter")
        deadline = time.monotonic() + timeout_s
        while not (re.fullmatch(r"\[\d+\]:", self.prompt(cell)) and self.prompt(cell) != before):
            if time.monotonic() > deadline:
                raise TimeoutError(f"the cell did not finish in {timeout_s} s (prompt {self.prompt(cell)!r})")
            time.sleep(0.2)
        self.wait_until_idle(timeout_s)
        return self.output_text(cell)

    def output_text(self, cell) -> str:
        return cell.locator(".jp-OutputArea").inner_text()

    def wait_until_idle(self, timeout_s: float = 120) -> None:
        """Wait until no cell is running or queued (no ``[*]`` prompt) and the kernel says idle, twice in a row."""
        script = """() => {
          const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
          const busy = Array.from(panel.querySelectorAll('.jp-InputPrompt')).some(p => p.textContent.includes('*'));
          const indicator = panel.querySelector('.jp-Notebook-ExecutionIndicator');
          return !busy && indicator && indicator.getAttribute('data-status') === 'idle';
        }"""
        deadline, calm = time.monotonic() + timeout_s, 0
        time.sleep(0.5)
        while calm < 2:
            if time.monotonic() > deadline:
                raise TimeoutError(f"the notebook was still running after {timeout_s} s")
            calm = calm + 1 if self.page.evaluate(script) else 0
            time.sleep(0.5)

    def outputs(self) -> list[dict]:
        """Per code cell: prompt, output kinds, standard-error texts, pictures present and pictures drawn."""
        self.page.wait_for_function("""() => Array.from(document.querySelectorAll(
            '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output img')).every(i => i.complete)""")
        return self.page.evaluate(_OUTPUTS_JS)

    def output_view(self, cell) -> str:
        """The text and pictures of a cell's output area, without its slider controls."""
        return cell.evaluate(_OUTPUT_VIEW_JS)

    # --- nbgrader's Validate button ---------------------------------------------------------------------------
    def validate(self, timeout_s: float = 600) -> str:
        """Press Validate in the notebook toolbar, return the text of the results dialog (left open)."""
        self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .validate-button").click()
        self.page.wait_for_selector(".jp-Dialog #validation-message", timeout=timeout_s * 1000)
        return self.page.locator(".jp-Dialog").inner_text()

    def close_dialog(self) -> None:
        self.page.locator(".jp-Dialog .jp-mod-accept").click()
        self.page.wait_for_selector(".jp-Dialog", state="detached")

    # --- widgets ----------------------------------------------------------------------------------------------
    def sliders(self, cell):
        return cell.locator(".jp-OutputArea .widget-slider .noUi-target, .jp-OutputArea .widget-slider .slider")

    def drag_slider(self, slider, fraction: float) -> None:
        """Drag a slider's handle with the mouse to ``fraction`` of its track."""
        slider.scroll_into_view_if_needed()
        handle = slider.locator(".noUi-handle").first
        track, grip = slider.bounding_box(), handle.bounding_box()
        start_x, y = grip["x"] + grip["width"] / 2, grip["y"] + grip["height"] / 2
        target_x = track["x"] + fraction * track["width"]
        mouse = self.page.mouse
        mouse.move(start_x, y)
        mouse.down()
        for step in range(1, 11):
            mouse.move(start_x + (target_x - start_x) * step / 10, y)
        mouse.up()
