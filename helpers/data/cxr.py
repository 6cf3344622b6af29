"""Chest X-rays for C1W1, C1W2 and C3W3: the real NIH ChestX-ray14 labels and phantom radiographs drawn for them.

No package ships chest X-ray pictures with labels, so the course draws them. The *labels are real*: every phantom is
drawn for one row of the NIH ChestX-ray14 table (112,120 images of 30,805 patients, from the installed
torchxrayvision data folder), so prevalences, co-occurrences, ages, sexes, views and follow-up structure are those of
the real data set. The *pictures are phantoms*: real lung masks, synthetic anatomy and the radiographic sign of each
present finding, with a recorded bounding box per drawn lesion.

Main entry points::

    labels = load_nih_labels()                      # the real table (Image, 14 findings, PatientId, Age, ...)
    folder = make_cxr_dataset(3000, size=128)       # phantom PNGs + train/valid/test.csv + lesion_boxes.csv
    data = load_cxr_split(folder)                   # data.train / data.valid / data.test DataFrames
    train_batches = data.batches("train", batch_size=32, shuffle=True)   # a keras.utils.PyDataset

``load_cxr_split`` also reads a real NIH ChestX-ray14 folder (``Data_Entry_2017*.csv`` and the PNGs), unchanged.
Nothing here downloads anything, and importing this module does not import TensorFlow/Keras.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.data._cxr_assets import FINDINGS, LABEL_COLUMNS, load_nih_labels, parse_nih_table
from helpers.data._cxr_render import RENDER_VERSION, render_cxr, render_lung_mask

__all__ = [
    "FINDINGS",
    "LABEL_COLUMNS",
    "load_nih_labels",
    "render_cxr",
    "sample_by_patient",
    "split_by_patient",
    "dataset_params",
    "make_cxr_dataset",
    "load_cxr_predictions",
    "load_cxr_split",
    "CXRData",
    "cxr_batches",
    "load_lesion_boxes",
    "phantom_lung_masks",
    "default_n",
    "default_size",
    "generate_from_cli",
]

SPLIT_FILES = ("train.csv", "valid.csv", "test.csv")
BOX_COLUMNS = ("Image", "Finding", "x", "y", "w", "h")


def default_n() -> int:
    """Default number of phantoms: 3,000 (400 in FAST mode)."""
    from helpers.config import fast_or_full

    return fast_or_full(400, 3000)


def default_size() -> int:
    """Default image side: 128 px (64 in FAST mode)."""
    from helpers.config import fast_or_full

    return fast_or_full(64, 128)


# ---------------------------------------------------------------------------------------------------- sampling
def sample_by_patient(labels: pd.DataFrame, n: int, seed: int = 0) -> pd.DataFrame:
    """Sample whole patients (all their images) in random order until exactly ``n`` images are collected.

    No enrichment: every image has (nearly) the same chance to be drawn, so prevalences match the table within
    sampling error (patients are clusters, so the error is a little larger than for independent images).
    """
    if n < 1:
        raise ValueError(f"n must be a positive number of images (got {n}).")
    if n > len(labels):
        raise ValueError(f"Asked for {n} images but the label table has only {len(labels)}.")
    counts = labels.groupby("PatientId").size()
    rng = np.random.default_rng(seed)
    order = counts.index.values[rng.permutation(len(counts))]
    sizes = counts.loc[order].values
    chosen, total = [], 0
    for pid, k in zip(order, sizes):
        if total + k <= n:
            chosen.append(pid)
            total += k
            if total == n:
                break
    picked = labels[labels["PatientId"].isin(set(chosen))]
    rank = {pid: i for i, pid in enumerate(chosen)}
    picked = picked.assign(_r=picked["PatientId"].map(rank)).sort_values(["_r", "Image"]).drop(columns="_r")
    return picked.reset_index(drop=True)


def split_by_patient(frame: pd.DataFrame, fractions=(0.7, 0.15, 0.15), seed: int = 0) -> list[pd.DataFrame]:
    """Split images into groups by patient (no patient in two groups), close to ``fractions`` of the images."""
    fr = np.asarray(fractions, float)
    if fr.ndim != 1 or len(fr) < 2 or (fr < 0).any() or not np.isclose(fr.sum(), 1.0):
        raise ValueError(f"fractions must be non-negative and sum to 1 (got {fractions}).")
    counts = frame.groupby("PatientId").size()
    rng = np.random.default_rng(seed)
    pids = counts.index.values[rng.permutation(len(counts))]
    # big patients first so the small ones can even out the proportions
    pids = sorted(pids, key=lambda p: -counts[p])
    target = fr * len(frame)
    got = np.zeros(len(fr))
    assign = {}
    for pid in pids:
        j = int(np.argmax(target - got))
        assign[pid] = j
        got[j] += counts[pid]
    group = frame["PatientId"].map(assign).values
    return [frame[group == j].reset_index(drop=True) for j in range(len(fr))]


# ---------------------------------------------------------------------------------------------------- generation
def dataset_params(n: int, size: int, seed: int = 0, fractions=(0.7, 0.15, 0.15)) -> dict:
    """The parameters that identify a phantom data set (its cache key, stored as ``params.json``)."""
    return {
        "kind": "cxr-phantom",
        "render_version": RENDER_VERSION,
        "n": int(n),
        "size": int(size),
        "seed": int(seed),
        "fractions": [float(f) for f in fractions],
        "labels": "NIH ChestX-ray14 v2020",
    }


def _folder_name(params) -> str:
    digest = hashlib.sha1(json.dumps(params, sort_keys=True).encode()).hexdigest()[:8]
    return f"n{params['n']}_s{params['size']}_seed{params['seed']}_{digest}"


def _render_job(args):
    row, size, seed, out_path = args
    from PIL import Image

    img, boxes, info = render_cxr(row, row["Image"], size=size, seed=seed)
    Image.fromarray(img).save(out_path, optimize=False, compress_level=6)
    for b in boxes:
        b["Image"] = row["Image"]
    return row["Image"], boxes, info


def _is_complete(folder: Path, params) -> bool:
    try:
        stored = json.loads((folder / "params.json").read_text())
    except (OSError, ValueError):
        return False
    if stored != params:
        return False
    if not all((folder / f).is_file() for f in (*SPLIT_FILES, "lesion_boxes.csv")):
        return False
    n_png = sum(1 for _ in (folder / "images").glob("*.png"))
    return n_png == params["n"]


def make_cxr_dataset(
    n: int | None = None,
    size: int | None = None,
    seed: int = 0,
    fractions=(0.7, 0.15, 0.15),
    out_dir: str | os.PathLike | None = None,
    workers: int | None = None,
    force: bool = False,
    progress: bool = True,
) -> Path:
    """Draw ``n`` phantom radiographs for real NIH rows and write a ready-to-train folder; returns its path.

    The folder (default ``generated_dir("cxr", "n{n}_s{size}_seed{seed}_{hash}")``) holds ``images/*.png``
    (grayscale, size x size, named like the NIH images they stand for), ``train.csv``/``valid.csv``/``test.csv``
    (label table format, split by patient), ``lesion_boxes.csv`` (Image, Finding, x, y, w, h in pixels),
    ``phantom_info.csv`` (cardiothoracic ratio, lung mask used) and ``params.json``. A folder whose ``params.json``
    matches is reused as is (pass ``force=True`` to redraw).
    """
    from helpers.config import generated_dir

    n = default_n() if n is None else int(n)
    size = default_size() if size is None else int(size)
    if size < 16 or size > 1024:
        raise ValueError(f"size must be between 16 and 1024 pixels (got {size}).")
    params = dataset_params(n, size, seed, fractions)
    folder = Path(out_dir) if out_dir is not None else generated_dir("cxr", _folder_name(params))
    if not force and _is_complete(folder, params):
        return folder
    if out_dir is not None:
        _draw_dataset(folder, params, workers, progress)
        return folder
    # the shared cache: draw into a private folder, then rename it into place in one step, so that two processes
    # drawing the same data set at once never leave (or read) a half-written folder
    _remove_stale(folder.parent, params)
    scratch = folder.with_name(f".{folder.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        _draw_dataset(scratch, params, workers, progress)
        if folder.exists() and (force or not _is_complete(folder, params)):
            shutil.rmtree(folder)
        try:
            os.rename(scratch, folder)
        except OSError:
            if not _is_complete(folder, params):  # not another process's finished copy: a real error
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return folder


def _draw_dataset(folder: Path, params: dict, workers, progress) -> None:
    """Draw the phantoms of ``params`` into ``folder`` (images, split tables, boxes, phantom info, params.json)."""
    n, size, seed, fractions = params["n"], params["size"], params["seed"], params["fractions"]
    labels = load_nih_labels()
    rows = sample_by_patient(labels, n, seed=seed)
    splits = split_by_patient(rows, fractions, seed=seed)
    images = folder / "images"
    if images.exists():
        shutil.rmtree(images)
    images.mkdir(parents=True)
    (folder / "params.json").unlink(missing_ok=True)
    jobs = [(r, size, seed, str(images / r["Image"])) for r in rows.to_dict("records")]
    results = _run_jobs(jobs, workers, progress)
    boxes = [b for _, bs, _ in results for b in bs]
    box_frame = pd.DataFrame(boxes, columns=list(BOX_COLUMNS)).sort_values(["Image", "Finding", "x", "y"])
    box_frame.to_csv(folder / "lesion_boxes.csv", index=False)
    info = pd.DataFrame([{"Image": im, **inf} for im, _, inf in results]).sort_values("Image")
    info.to_csv(folder / "phantom_info.csv", index=False)
    for name, part in zip(SPLIT_FILES, splits):
        part[list(LABEL_COLUMNS)].to_csv(folder / name, index=False)
    (folder / "params.json").write_text(json.dumps(params, indent=1, sort_keys=True))


def _remove_stale(parent: Path, params) -> None:
    """Delete cached phantom folders made with the same n/size/seed/fractions by an older renderer version."""
    same = {k: v for k, v in params.items() if k != "render_version"}
    for folder in parent.glob(f"n{params['n']}_s{params['size']}_seed{params['seed']}_*"):
        try:
            old = json.loads((folder / "params.json").read_text())
        except (OSError, ValueError):
            continue
        if (
            old.get("kind") == "cxr-phantom"
            and old.get("render_version") != params["render_version"]
            and {k: v for k, v in old.items() if k != "render_version"} == same
        ):
            shutil.rmtree(folder, ignore_errors=True)


def _run_jobs(jobs, workers, progress):
    from tqdm.auto import tqdm

    from helpers.data._cxr_assets import load_lung_masks, load_nih_boxes

    load_lung_masks()  # load once in the parent so forked workers share it
    load_nih_boxes()
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if len(jobs) >= 200 else 1
    bar = tqdm(total=len(jobs), desc="drawing chest X-ray phantoms", unit="img", disable=not progress)
    results = []
    if workers > 1:
        import multiprocessing as mp

        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
        with ctx.Pool(workers) as pool:
            for res in pool.imap(_render_job, jobs, chunksize=16):
                results.append(res)
                bar.update()
    else:
        for job in jobs:
            results.append(_render_job(job))
            bar.update()
    bar.close()
    return results


def generate_from_cli(n: int | None = None, size: float | None = None, seed: int = 0) -> Path:
    """``python -m helpers.data generate cxr [--n N] [--size S] [--seed K]``: draw a data set, return its folder."""
    if size is not None and float(size) != int(size):
        raise ValueError(f"--size for cxr is an image side in pixels, a whole number (got {size}).")
    return make_cxr_dataset(n=n, size=None if size is None else int(size), seed=seed)


# ---------------------------------------------------------------------------------------------------- loading
def load_lesion_boxes(folder: str | os.PathLike) -> pd.DataFrame:
    """``lesion_boxes.csv`` of a phantom folder: one row per drawn lesion (Image, Finding, x, y, w, h in pixels)."""
    path = Path(folder) / "lesion_boxes.csv"
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} not found: lesion boxes exist only in phantom folders made by make_cxr_dataset()."
        )
    return pd.read_csv(path)


def phantom_lung_masks(data: CXRData, split: str = "test", progress: bool = True) -> np.ndarray:
    """The lung masks of a phantom split, as drawn: re-derived from each picture's anatomy (about 15 ms a picture).

    Each phantom's lungs are one of 517 real lung masks (``phantom_info.csv`` names it) placed, scaled and rotated
    at random; this redoes that placement (:func:`helpers.data._cxr_render.render_lung_mask`) and checks that it
    picked the same real mask.

    Parameters
    ----------
    data : CXRData
        A phantom folder (``data.kind == "phantom"``).
    split : {"train", "valid", "test"}
    progress : bool
        Show a progress bar.

    Returns
    -------
    numpy.ndarray, shape (n_images, size, size), bool
        True inside either lung, in the order of ``data.frames[split]``.

    Raises
    ------
    ValueError
        For a real NIH folder (no drawn anatomy), or when a mask does not match ``phantom_info.csv`` (a folder drawn
        by another renderer version).
    """
    from tqdm.auto import tqdm

    if data.kind != "phantom":
        raise ValueError("lung masks exist only for phantom folders made by make_cxr_dataset()")
    seed = int(json.loads((data.root / "params.json").read_text())["seed"])
    used = pd.read_csv(data.root / "phantom_info.csv").set_index("Image")["mask_index"]
    rows = data.frames[split].to_dict("records")
    masks = np.zeros((len(rows), data.size, data.size), dtype=bool)
    for i, row in enumerate(tqdm(rows, desc=f"lung masks ({split})", unit="img", disable=not progress)):
        masks[i], index = render_lung_mask(row, row["Image"], data.size, seed)
        if index != used[row["Image"]]:
            raise ValueError(
                f"{row['Image']}: lung mask {index} differs from phantom_info.csv ({used[row['Image']]});"
                " the folder was drawn by another renderer version: redraw it with force=True"
            )
    return masks


@dataclass
class CXRData:
    """Train/valid/test label frames of one chest X-ray folder, and a way to read its pictures in batches."""

    root: Path
    train: pd.DataFrame
    valid: pd.DataFrame
    test: pd.DataFrame
    size: int
    kind: str  # "phantom" or "nih"
    image_paths: dict = field(default_factory=dict, repr=False)

    @property
    def frames(self) -> dict:
        return {"train": self.train, "valid": self.valid, "test": self.test}

    def paths(self, split: str) -> list[str]:
        return [self.image_paths[name] for name in self.frames[split]["Image"]]

    def boxes(self) -> pd.DataFrame:
        """Lesion boxes (phantom folders only)."""
        return load_lesion_boxes(self.root)

    def batches(
        self,
        split: str = "train",
        batch_size: int = 32,
        shuffle: bool | None = None,
        normalization: str = "per_image",
        seed: int = 0,
        **kwargs,
    ):
        """A ``keras.utils.PyDataset`` over one split, yielding (x float32 (b, H, W, 1), y float32 (b, 14)).

        ``normalization``: ``"per_image"`` (each picture to mean 0 / std 1) or ``"dataset"`` (the training set's pixel
        mean and std, computed here from the train split). ``shuffle`` defaults to True for the train split only.
        """
        if split not in self.frames:
            raise ValueError(f"split must be one of {list(self.frames)} (got {split!r}).")
        mean = std = None
        if normalization == "dataset":
            mean, std = self.train_mean_std()
        return cxr_batches(
            self.paths(split),
            self.frames[split],
            batch_size=batch_size,
            size=self.size,
            shuffle=(split == "train") if shuffle is None else shuffle,
            normalization=normalization,
            mean=mean,
            std=std,
            seed=seed,
            **kwargs,
        )

    def train_mean_std(self, max_images: int = 1000) -> tuple[float, float]:
        """Pixel mean and std of (up to ``max_images`` of) the training pictures, scaled to [0, 1]."""
        paths = self.paths("train")[:max_images]
        if not paths:
            raise ValueError("The train split is empty; cannot compute its mean and std.")
        stack = np.stack([read_image(p, self.size) for p in paths])
        return float(stack.mean()), float(stack.std() + 1e-6)


def read_image(path: str | os.PathLike, size: int | None = None) -> np.ndarray:
    """Read a radiograph as float32 in [0, 1] (grayscale), resized to size x size if given."""
    from PIL import Image

    with Image.open(path) as im:
        if im.mode in ("I;16", "I;16B", "I"):
            arr = np.asarray(im, dtype=np.float32)
            arr = arr / max(float(arr.max()), 1.0)
            im = Image.fromarray(np.round(arr * 255).astype(np.uint8))
        else:
            im = im.convert("L")
        if size is not None and im.size != (size, size):
            im = im.resize((size, size), Image.BILINEAR, reducing_gap=3.0)
        return np.asarray(im, dtype=np.float32) / 255.0


def _index_images(root: Path, names) -> dict:
    """Map image names to files, looking in root/images/, root/ and (NIH download layout) root/images_*/images/."""
    found = {}
    for folder in (root / "images", root):
        if folder.is_dir():
            for name in names:
                if name not in found and (folder / name).is_file():
                    found[name] = str(folder / name)
    missing = [nm for nm in names if nm not in found]
    if missing:
        for path in root.glob("images*/**/*.png"):
            if path.name not in found:
                found[path.name] = str(path)
    return found


def load_cxr_split(
    path: str | os.PathLike | None = None,
    size: int | None = None,
    n: int | None = None,
    seed: int = 0,
    fractions=(0.7, 0.15, 0.15),
    require_images: bool = True,
) -> CXRData:
    """Load a chest X-ray folder as train/valid/test frames (label-table format) plus batch readers.

    ``path`` may be:

    - ``None``: the phantom data set of ``n`` images (default 3,000; FAST 400) at ``size`` (default 128; FAST 64) is
      made (or reused) with :func:`make_cxr_dataset`;
    - a phantom folder (with ``train.csv``, ``valid.csv``, ``test.csv``);
    - a real NIH ChestX-ray14 folder: ``Data_Entry_2017*.csv`` plus the PNGs under ``images/``, directly in the folder,
      or under ``images_*/images/``. If ``train_val_list.txt`` and ``test_list.txt`` are present, the official test
      list is used and train/valid are split by patient; otherwise all three splits are made by patient
      (``fractions``, ``seed``). Rows whose image file is missing are dropped (all of them missing is an error).

    ``size`` is the side pictures are resized to when read (default: the phantom size, or 128 for NIH folders).
    """
    if path is None:
        root = make_cxr_dataset(n=n, size=size, seed=seed)
    else:
        root = Path(path)
    if not root.is_dir():
        raise FileNotFoundError(f"Chest X-ray folder {root} does not exist.")
    if all((root / f).is_file() for f in SPLIT_FILES):
        kind = "phantom"
        frames = [pd.read_csv(root / f) for f in SPLIT_FILES]
        for name, fr in zip(SPLIT_FILES, frames):
            missing = [c for c in ("Image", *FINDINGS, "PatientId") if c not in fr.columns]
            if missing:
                raise ValueError(f"{root / name} lacks columns {missing}.")
        if size is None:
            try:
                size = int(json.loads((root / "params.json").read_text())["size"])
            except (OSError, ValueError, KeyError):
                size = default_size()
    else:
        tables = sorted(root.glob("Data_Entry_2017*.csv")) + sorted(root.glob("Data_Entry_2017*.csv.gz"))
        if not tables:
            raise FileNotFoundError(
                f"{root} is neither a phantom folder (train.csv, valid.csv, test.csv) nor an NIH ChestX-ray14 folder "
                f"(Data_Entry_2017*.csv with the PNGs under images/). Make phantoms with make_cxr_dataset()."
            )
        kind = "nih"
        table = parse_nih_table(pd.read_csv(tables[0]))
        size = 128 if size is None else int(size)
        tv, te = root / "train_val_list.txt", root / "test_list.txt"
        if tv.is_file() and te.is_file():
            test_names = set(te.read_text().split())
            rest = table[~table["Image"].isin(test_names)]
            test = table[table["Image"].isin(test_names)].reset_index(drop=True)
            f_tr = fractions[0] / (fractions[0] + fractions[1])
            train, valid = split_by_patient(rest, (f_tr, 1 - f_tr), seed=seed)
            frames = [train, valid, test]
        else:
            frames = split_by_patient(table, fractions, seed=seed)
    names = [nm for fr in frames for nm in fr["Image"]]
    found = _index_images(root, names)
    if require_images:
        if not found:
            raise FileNotFoundError(
                f"No image file of the label table was found in {root} (looked in images/, the "
                f"folder itself and images_*/images/)."
            )
        frames = [fr[fr["Image"].isin(found)].reset_index(drop=True) for fr in frames]
    return CXRData(
        root=root, train=frames[0], valid=frames[1], test=frames[2], size=int(size), kind=kind, image_paths=found
    )


_SEQUENCE_CLASS = None


def _sequence_class():
    """Build the PyDataset subclass on first use, so that importing this module does not import Keras."""
    global _SEQUENCE_CLASS
    if _SEQUENCE_CLASS is not None:
        return _SEQUENCE_CLASS
    import keras

    class CXRBatches(keras.utils.PyDataset):
        """Batches of (x float32 (b, H, W, 1), y float32 (b, 14)) read from image files.

        Pictures are cached in memory as 8-bit arrays after their first read (``cache=True``, the default, unless the
        cache would exceed 2 GB, e.g. for the full NIH set).
        """

        def __init__(
            self,
            paths,
            labels,
            batch_size=32,
            size=128,
            shuffle=False,
            normalization="per_image",
            mean=None,
            std=None,
            seed=0,
            cache=True,
            **kwargs,
        ):
            super().__init__(**kwargs)
            if normalization not in ("per_image", "dataset", "none"):
                raise ValueError(f"normalization must be 'per_image', 'dataset' or 'none' (got {normalization!r}).")
            if normalization == "dataset" and (mean is None or std is None):
                raise ValueError("normalization='dataset' needs the training set's mean and std.")
            if len(paths) != len(labels):
                raise ValueError(f"{len(paths)} image paths but {len(labels)} label rows.")
            if batch_size < 1:
                raise ValueError(f"batch_size must be positive (got {batch_size}).")
            self.paths = list(paths)
            self.y = np.asarray(labels, dtype=np.float32)
            self.batch_size, self.size, self.shuffle = int(batch_size), int(size), bool(shuffle)
            self.normalization, self.mean, self.std = normalization, mean, std
            self.rng = np.random.default_rng(seed)
            self.order = np.arange(len(self.paths))
            if self.shuffle:
                self.rng.shuffle(self.order)
            too_big = len(self.paths) * self.size * self.size > 2e9
            self.cache = {} if cache and not too_big else None

        def __len__(self):
            return int(np.ceil(len(self.paths) / self.batch_size))

        def _image(self, i):
            if self.cache is not None and i in self.cache:
                return self.cache[i].astype(np.float32) / 255.0
            img = read_image(self.paths[i], self.size)
            if self.cache is not None:
                self.cache[i] = np.round(img * 255).astype(np.uint8)
            return img

        def __getitem__(self, idx):
            if idx < 0 or idx >= len(self):
                raise IndexError(f"batch {idx} out of range (0..{len(self) - 1})")
            sel = self.order[idx * self.batch_size : (idx + 1) * self.batch_size]
            x = np.stack([self._image(i) for i in sel])
            if self.normalization == "per_image":
                m = x.mean(axis=(1, 2), keepdims=True)
                s = x.std(axis=(1, 2), keepdims=True) + 1e-6
                x = (x - m) / s
            elif self.normalization == "dataset":
                x = (x - self.mean) / self.std
            return x[..., None].astype(np.float32), self.y[sel]

        def on_epoch_end(self):
            if self.shuffle:
                self.rng.shuffle(self.order)

    _SEQUENCE_CLASS = CXRBatches
    return CXRBatches


def cxr_batches(
    paths,
    frame_or_labels,
    batch_size: int = 32,
    size: int = 128,
    shuffle: bool = False,
    normalization: str = "per_image",
    mean: float | None = None,
    std: float | None = None,
    seed: int = 0,
    **kwargs,
):
    """A ``keras.utils.PyDataset`` over image files; labels are the 14 finding columns of a frame (or a matrix)."""
    labels = frame_or_labels
    if isinstance(frame_or_labels, pd.DataFrame):
        labels = frame_or_labels[list(FINDINGS)].values
    return _sequence_class()(
        paths,
        labels,
        batch_size=batch_size,
        size=size,
        shuffle=shuffle,
        normalization=normalization,
        mean=mean,
        std=std,
        seed=seed,
        **kwargs,
    )


# ---------------------------------------------------------------------------------------------------- predictions
def load_cxr_predictions(split: str = "test", progress: bool = True) -> pd.DataFrame:
    """Labels and predictions of the course's reference CNN (trained in C1W1) on one split of the phantom set.

    Read from the cache written by :func:`helpers.models.cxr_reference_model`; if there is none yet, the model is
    trained first (FAST: under a minute; full: a few minutes), so C1W2 and C3W3 never need C1W1 to have run.

    Parameters
    ----------
    split : {"test", "valid"}
    progress : bool
        Show progress bars if the model has to be trained.

    Returns
    -------
    pandas.DataFrame
        One row per picture: ``Image``, ``PatientId``, the 14 findings as 0/1 columns (order of :data:`FINDINGS`)
        and the predicted probability of each as ``<finding>_pred``.
    """
    from helpers.models import cxr_reference_folder, cxr_reference_params

    if split not in ("test", "valid"):
        hint = (
            " (the training split has no held-out predictions)"
            if split == "train"
            else " (the validation split is called 'valid')"
            if isinstance(split, str) and split.lower().startswith("val")
            else ""
        )
        raise ValueError(f"split must be 'test' or 'valid', got {split!r}{hint}")
    folder = cxr_reference_folder(cxr_reference_params())
    if not (folder / "params.json").is_file():
        from helpers.models import cxr_reference_model

        cxr_reference_model(progress=progress)
    return pd.read_csv(folder / f"predictions_{split}.csv")
