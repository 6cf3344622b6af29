"""Figures and an interactive slice viewer for multi-contrast brain MRI with tumour labels (C1W3).

Volumes are RAS-oriented (as returned by :func:`helpers.data.brain.load_case`) and shown in radiological convention:
the patient's right on the viewer's left, anterior up in axial slices, superior up in coronal and sagittal slices.
Images are ``(X, Y, Z, 4)`` in the MSD Task01 channel order FLAIR, T1w, T1gd, T2w; labels ``(X, Y, Z)`` with
1 edema, 2 non-enhancing tumour core, 3 enhancing tumour. Every figure function returns a matplotlib Figure.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

__all__ = [
    "CONTRASTS",
    "LABEL_COLOURS",
    "LABEL_NAMES",
    "planes",
    "tumour_centre",
    "case_figure",
    "segmentation_figure",
    "patch_figure",
    "training_curves",
    "slice_viewer",
]

CONTRASTS = ("FLAIR", "T1w", "T1gd", "T2w")
LABEL_NAMES = {1: "edema", 2: "non-enhancing / necrotic core", 3: "enhancing tumour"}
#: RGBA per label value: 1 edema yellow, 2 non-enhancing / necrotic core blue, 3 enhancing red
LABEL_COLOURS = np.array([[0, 0, 0, 0], [1.0, 0.85, 0.1, 0.45], [0.15, 0.45, 1.0, 0.6], [1.0, 0.1, 0.1, 0.65]])
PLANES = ("axial", "coronal", "sagittal")


def planes(vol: np.ndarray, centre: Sequence[int]) -> list[np.ndarray]:
    """Axial, coronal and sagittal slices through ``centre`` of an ``(X, Y, Z[, C])`` RAS volume.

    Each slice is ready for ``imshow(..., origin="lower")`` in radiological convention.
    """
    x, y, z = (int(c) for c in centre)
    axial = vol[::-1, :, z].swapaxes(0, 1)  # rows posterior -> anterior, columns right -> left
    coronal = vol[::-1, y, :].swapaxes(0, 1)  # rows inferior -> superior, columns right -> left
    sagittal = vol[:, ::-1, :][x].swapaxes(0, 1)  # rows inferior -> superior, columns anterior -> posterior
    return [axial, coronal, sagittal]


def tumour_centre(label: np.ndarray) -> tuple[int, int, int]:
    """Centre of mass of the tumour core (labels 2-3), else of the whole tumour, else of the volume."""
    label = np.asarray(label)
    core = (label == 2) | (label == 3)
    where = np.argwhere(core if core.any() else label > 0)
    if not len(where):
        return tuple(int(s) // 2 for s in label.shape)
    return tuple(int(round(c)) for c in where.mean(0))


def _show(ax, sl, vmax, label_slice=None) -> None:
    ax.imshow(sl, cmap="gray", vmin=0 if sl.min() >= 0 else None, vmax=vmax, origin="lower", interpolation="nearest")
    if label_slice is not None:
        ax.imshow(LABEL_COLOURS[np.asarray(label_slice, dtype=int)], origin="lower", interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])


def _vmax(channel: np.ndarray) -> float:
    inside = channel[channel != 0]
    return float(np.percentile(inside, 99.5)) if inside.size else 1.0


def _legend(fig: Figure) -> None:
    handles = [Patch(color=LABEL_COLOURS[k][:3], label=f"{k} {name}") for k, name in LABEL_NAMES.items()]
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=9, frameon=False)


def case_figure(
    image: np.ndarray, label: np.ndarray | None = None, centre: Sequence[int] | None = None, title: str = ""
) -> Figure:
    """The four contrasts, and the label on T1gd, in three planes through ``centre`` (default: the tumour).

    Parameters
    ----------
    image : ndarray of shape (X, Y, Z, 4)
        FLAIR, T1w, T1gd, T2w (any intensity scale).
    label : ndarray of shape (X, Y, Z), optional
        Labels 0-3; without it the last column is left out.
    centre : three ints, optional
        Voxel the three planes go through; defaults to :func:`tumour_centre`.
    title : str
        Figure title.
    """
    centre = tumour_centre(label) if centre is None and label is not None else centre
    centre = centre if centre is not None else tuple(s // 2 for s in image.shape[:3])
    columns = 5 if label is not None else 4
    fig, axes = plt.subplots(3, columns, figsize=(2.1 * columns, 6.9))
    for m in range(4):
        chan = image[..., m]
        for r, sl in enumerate(planes(chan, centre)):
            _show(axes[r, m], sl, _vmax(chan))
        axes[0, m].set_title(CONTRASTS[m])
    if label is not None:
        t1gd = image[..., 2]
        for r, (sl, ls) in enumerate(zip(planes(t1gd, centre), planes(label, centre))):
            _show(axes[r, 4], sl, _vmax(t1gd), ls)
        axes[0, 4].set_title("labels on T1gd")
        _legend(fig)
    for r, name in enumerate(PLANES):
        axes[r, 0].set_ylabel(name)
    fig.suptitle(title or f"voxel {tuple(int(c) for c in centre)}; patient's right on the viewer's left")
    fig.tight_layout(rect=(0, 0.04 if label is not None else 0, 1, 1))
    return fig


def segmentation_figure(
    image: np.ndarray, truth: np.ndarray, pred: np.ndarray, centre: Sequence[int] | None = None, title: str = ""
) -> Figure:
    """Ground truth beside a predicted segmentation, both on FLAIR, in three planes through the tumour.

    Parameters
    ----------
    image : ndarray of shape (X, Y, Z, 4)
    truth, pred : ndarray of shape (X, Y, Z)
        Label maps 0-3.
    centre : three ints, optional
        Defaults to the centre of the true tumour.
    title : str
    """
    centre = tumour_centre(truth) if centre is None else centre
    flair = image[..., 0]
    fig, axes = plt.subplots(3, 3, figsize=(7.2, 7.2))
    columns = [("FLAIR", None), ("ground truth", truth), ("prediction", pred)]
    for c, (name, lab) in enumerate(columns):
        slices = planes(lab, centre) if lab is not None else [None] * 3
        for r, (sl, ls) in enumerate(zip(planes(flair, centre), slices)):
            _show(axes[r, c], sl, _vmax(flair), ls)
        axes[0, c].set_title(name)
    for r, name in enumerate(PLANES):
        axes[r, 0].set_ylabel(name)
    _legend(fig)
    fig.suptitle(title)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


def patch_figure(
    image: np.ndarray, label: np.ndarray, corner: Sequence[int], size: Sequence[int], channel: int = 0
) -> Figure:
    """Where a sub-volume comes from: its box on an axial and a coronal slice, and the patch itself.

    Parameters
    ----------
    image : ndarray of shape (X, Y, Z, 4)
    label : ndarray of shape (X, Y, Z)
    corner : three ints
        Voxel index of the patch's first corner (x, y, z).
    size : three ints
        Patch size in voxels (x, y, z).
    channel : int
        Contrast shown (0 FLAIR).
    """
    corner, size = np.asarray(corner, dtype=int), np.asarray(size, dtype=int)
    centre = corner + size // 2
    chan = image[..., channel]
    nx = image.shape[0]
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.8))
    axial, coronal, _ = planes(chan, centre)
    lab_axial, lab_coronal, _ = planes(label, centre)
    # columns run right -> left, so voxel x sits at column nx - 1 - x
    boxes = [
        (axial, lab_axial, corner[1], size[1], f"axial slice z={centre[2]}"),
        (coronal, lab_coronal, corner[2], size[2], f"coronal slice y={centre[1]}"),
    ]
    for ax, (sl, ls, row0, rows, name) in zip(axes, boxes):
        _show(ax, sl, _vmax(chan), ls)
        ax.add_patch(
            Rectangle((nx - corner[0] - size[0] - 0.5, row0 - 0.5), size[0], rows, fill=False, edgecolor="cyan", lw=2)
        )
        ax.set_title(name)
    box = tuple(slice(c, c + s) for c, s in zip(corner, size))
    patch_axial = planes(chan[box], size // 2)[0]
    patch_label = planes(label[box], size // 2)[0]
    _show(axes[2], patch_axial, _vmax(chan), patch_label)
    axes[2].set_title(f"the {size[0]}x{size[1]}x{size[2]} patch (middle axial slice)")
    fig.suptitle(f"{CONTRASTS[channel]}: sub-volume with corner {tuple(int(c) for c in corner)}")
    fig.tight_layout()
    return fig


def training_curves(history, title: str = "Training of the 3-D U-Net") -> Figure:
    """Training loss and any validation scores per epoch, from the DataFrame returned by
    :func:`helpers.segmentation.train_unet` (columns ``epoch``, ``loss`` and one per score)."""
    scores = [c for c in history.columns if c not in ("epoch", "steps", "loss", "seconds")]
    fig, axes = plt.subplots(1, 2 if scores else 1, figsize=(10 if scores else 5.5, 3.8), squeeze=False)
    axes = axes[0]
    axes[0].plot(history["epoch"], history["loss"], marker="o")
    axes[0].set(xlabel="epoch", ylabel="training loss", title="loss (soft Dice + cross-entropy)")
    for name in scores:
        axes[1].plot(history["epoch"], history[name], marker="o", label=name)
    if scores:
        axes[1].set(xlabel="epoch", title="held-out patches", ylim=(0, 1))
        axes[1].legend()
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def slice_viewer(image: np.ndarray, label: np.ndarray | None = None, size_inches: float = 4.6):
    """An ipywidgets viewer: a slider over the slices of a plane, a contrast selector and a label overlay switch.

    Parameters
    ----------
    image : ndarray of shape (X, Y, Z, 4)
    label : ndarray of shape (X, Y, Z), optional
    size_inches : float
        Size of the picture.

    Returns
    -------
    ipywidgets.VBox
        The controls above an ``ipywidgets.Image`` that is redrawn (as a PNG) whenever a control changes. Display it
        as the last expression of a cell in JupyterLab. Without a browser (a notebook run by nbconvert or nbval)
        widgets do not render, so show a static figure as well (:func:`case_figure`).
    """
    import io

    import ipywidgets as widgets
    from matplotlib.figure import Figure as _Figure

    shape = image.shape[:3]
    start = tumour_centre(label) if label is not None else tuple(s // 2 for s in shape)
    axis_of = {"axial": 2, "coronal": 1, "sagittal": 0}
    vmax = [_vmax(image[..., m]) for m in range(image.shape[-1])]
    plane = widgets.Dropdown(options=list(PLANES), value="axial", description="plane")
    contrast = widgets.Dropdown(options=list(CONTRASTS), value="FLAIR", description="contrast")
    overlay = widgets.Checkbox(value=label is not None, description="labels", disabled=label is None)
    index = widgets.IntSlider(value=start[2], min=0, max=shape[2] - 1, description="slice", continuous_update=False)
    picture = widgets.Image(format="png")

    def render(_=None) -> None:
        centre = list(start)
        centre[axis_of[plane.value]] = index.value
        k, m = PLANES.index(plane.value), CONTRASTS.index(contrast.value)
        fig = _Figure(figsize=(size_inches, size_inches))  # not managed by pyplot: nothing is displayed twice
        ax = fig.subplots()
        lab = planes(label, centre)[k] if (overlay.value and label is not None) else None
        _show(ax, planes(image[..., m], centre)[k], vmax[m], lab)
        ax.set_title(f"{contrast.value}, {plane.value} slice {index.value}")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=80)
        picture.value = buffer.getvalue()

    def follow_plane(change) -> None:  # the slider's range and position follow the chosen plane
        axis = axis_of[change["new"]]
        with index.hold_trait_notifications():
            index.max = shape[axis] - 1
            index.value = start[axis]
        render()

    plane.observe(follow_plane, names="value")
    for control in (index, contrast, overlay):
        control.observe(render, names="value")
    render()
    return widgets.VBox([widgets.HBox([plane, contrast, overlay]), index, picture])
