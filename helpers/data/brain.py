"""Brain-tumour MRI phantoms in the Medical Segmentation Decathlon (MSD) Task01 format, and a loader for it.

No real brain-tumour MRI with tumour masks ships in any installable package, so the course generates its own
multi-modal cases ("phantoms") from the MNI152 2009 template that ships inside ``nilearn``:

1. **Templates** -- the MNI152 T1, grey-matter (GM) and white-matter (WM) probability maps and brain mask are
   resampled once to the working voxel size (default 2 mm) and cached under
   ``generated_dir("brain", "templates")``. CSF is ``brain mask - GM - WM`` clipped at 0.
2. **Anatomy per subject** -- a random affine (rotation, scaling, shift), a smooth elastic deformation and, when the
   tumour is large, a mass effect that pushes the surrounding tissue away from the tumour.
3. **Tumour** -- an irregular lesion inside the brain (preferably in white matter) with nested compartments:
   necrotic / non-enhancing core, enhancing rim, and peritumoural edema that spreads further along white matter.
4. **Four MR contrasts** in MSD order ``FLAIR, T1w, T1gd, T2w`` from tissue/tumour fractions, with tissue texture,
   a smooth bias field, per-scanner gain and Rician noise. The background outside the brain is 0 (skull-stripped,
   as in the BraTS data behind MSD Task01).

Labels follow MSD Task01: 0 background, 1 edema, 2 non-enhancing tumour (incl. necrosis), 3 enhancing tumour.
The BraTS evaluation regions are whole tumour (WT, label > 0), tumour core (TC, labels 2 and 3) and enhancing
tumour (ET, label 3); see :func:`brats_regions`.

Main entry points::

    from helpers.data import brain
    root = brain.write_msd_dataset("data/generated/brain/my_set", n_cases=8, seed=0)
    image, label, affine = brain.load_case(root, 1)      # also works on a real MSD Task01_BrainTumour folder

or from a shell: ``python -m helpers.data generate brain --n 8 --size 2 --seed 0``.

Everything is deterministic given ``(seed, case number, voxel size)``: case *k* does not depend on how many cases
are written or in which worker process, so growing a data set from 8 to 40 cases reuses the first 8 files.
Nothing is downloaded: only the ``load_mni152_*`` functions of nilearn (files inside the package) are used.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import re
import sys
import warnings
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import ndimage

from helpers.config import fast_or_full, generated_dir

__all__ = [
    "MODALITIES",
    "LABELS",
    "GENERATOR_VERSION",
    "load_templates",
    "make_case",
    "write_msd_dataset",
    "load_case",
    "list_cases",
    "brats_regions",
    "generate_from_cli",
    "default_dataset_dir",
]

#: Channel order of the 4-D images, as in MSD Task01 ``dataset.json``.
MODALITIES = {"0": "FLAIR", "1": "T1w", "2": "t1gd", "3": "T2w"}
#: Label values, as in MSD Task01 ``dataset.json``.
LABELS = {"0": "background", "1": "edema", "2": "non-enhancing tumor", "3": "enhancing tumour"}

#: Bump when a change to the generator changes its output (cached cases are then regenerated, not reused).
GENERATOR_VERSION = 2
_TEMPLATE_VERSION = 1
_MARGIN_MM = 8.0  # empty border kept around the MNI brain bounding box
_PARAMS_FILE = "phantom_params.json"

# Mean intensity of each tissue / tumour compartment per modality, relative to T1w white matter.
# Order of the columns: FLAIR, T1w, T1gd, T2w.
_CONTRAST = {
    #             FLAIR  T1w   T1gd  T2w
    "csf": (0.22, 0.28, 0.30, 1.60),
    "gm": (0.90, 0.66, 0.68, 0.98),
    "wm": (0.66, 0.95, 0.97, 0.68),
    "edema": (1.40, 0.60, 0.62, 1.45),
    "nonenh": (1.22, 0.52, 0.56, 1.30),
    "necrosis": (0.80, 0.30, 0.32, 1.55),
    "enhancing": (1.08, 0.62, 1.65, 0.98),
}


# --------------------------------------------------------------------------------------------------------------
# Templates
# --------------------------------------------------------------------------------------------------------------


def _voxel_tag(voxel_mm: float) -> str:
    """'2mm', '1.5mm', '4mm' -- used in file and folder names."""
    return f"{float(voxel_mm):g}mm"


def _check_voxel(voxel_mm) -> float:
    try:
        v = float(voxel_mm)
    except (TypeError, ValueError):
        raise ValueError(f"voxel_mm must be a number of millimetres, got {voxel_mm!r}") from None
    if not (0.5 <= v <= 8.0) or not math.isfinite(v):
        raise ValueError(f"voxel_mm must be between 0.5 and 8 mm, got {v}")
    return v


def _resample_templates(voxel_mm: float) -> dict:
    """Resample the 1 mm MNI152 maps shipped with nilearn to an isotropic grid of ``voxel_mm``."""
    import warnings as _w

    with _w.catch_warnings():
        _w.simplefilter("ignore")
        from nilearn import datasets as nds

        # These four functions read files inside the nilearn package; the fetch_* functions would download.
        t1_img = nds.load_mni152_template(resolution=1)
        gm = nds.load_mni152_gm_template(resolution=1).get_fdata(dtype=np.float32)
        wm = nds.load_mni152_wm_template(resolution=1).get_fdata(dtype=np.float32)
        mask = nds.load_mni152_brain_mask(resolution=1).get_fdata(dtype=np.float32)
    t1 = t1_img.get_fdata(dtype=np.float32)
    aff_in = t1_img.affine
    if not np.allclose(aff_in[:3, :3], np.eye(3)):
        raise RuntimeError("unexpected MNI152 template orientation in nilearn; expected a 1 mm RAS grid")

    # Output grid: the brain bounding box plus a margin, in world (mm) coordinates.
    idx = np.argwhere(mask > 0.5)
    lo_w = aff_in[:3, 3] + idx.min(0) - _MARGIN_MM
    hi_w = aff_in[:3, 3] + idx.max(0) + _MARGIN_MM
    shape = tuple(int(s) for s in np.ceil((hi_w - lo_w) / voxel_mm).astype(int) + 1)
    affine = np.diag([voxel_mm, voxel_mm, voxel_mm, 1.0])
    affine[:3, 3] = lo_w

    # Index of each output voxel centre in the 1 mm input grid.
    sigma = math.sqrt(max(voxel_mm**2 - 1.0, 0.0)) / 2.355  # anti-aliasing before down-sampling
    grid = np.indices(shape, dtype=np.float32).reshape(3, -1) * voxel_mm
    coords = grid + (lo_w - aff_in[:3, 3]).astype(np.float32)[:, None]

    def res(a):
        if sigma > 0.05:
            a = ndimage.gaussian_filter(a, sigma)
        return ndimage.map_coordinates(a, coords, order=1, mode="constant", cval=0.0).reshape(shape)

    gm_r, wm_r, mask_r, t1_r = (np.clip(res(a), 0, 1).astype(np.float32) for a in (gm, wm, mask, t1))
    brain = mask_r > 0.5
    gm_r *= brain
    wm_r *= brain
    total = gm_r + wm_r
    over = total > 1
    gm_r[over] /= total[over]
    wm_r[over] /= total[over]
    csf_r = np.clip(mask_r - gm_r - wm_r, 0, 1) * brain
    dist = ndimage.distance_transform_edt(brain).astype(np.float32) * voxel_mm  # mm to the brain surface
    return {
        "gm": gm_r,
        "wm": wm_r,
        "csf": csf_r.astype(np.float32),
        "mask": mask_r,
        "t1": t1_r,
        "dist": dist,
        "affine": affine,
        "voxel_mm": np.float32(voxel_mm),
        "version": np.int32(_TEMPLATE_VERSION),
    }


def _template_path(voxel_mm: float) -> Path:
    return generated_dir("brain", "templates") / f"mni152_{_voxel_tag(voxel_mm)}_v{_TEMPLATE_VERSION}.npz"


@lru_cache(maxsize=4)
def load_templates(voxel_mm: float = 2.0) -> dict:
    """MNI152 tissue maps on an isotropic ``voxel_mm`` grid: keys gm, wm, csf, mask, t1, dist (mm), affine.

    The first call for a voxel size resamples the 1 mm maps from nilearn (a few seconds) and caches the result
    under ``generated_dir("brain", "templates")``; later calls read the cache.
    """
    voxel_mm = _check_voxel(voxel_mm)
    path = _template_path(voxel_mm)
    if path.exists():
        try:
            with np.load(path) as z:
                out = {k: z[k] for k in z.files}
            if int(out["version"]) == _TEMPLATE_VERSION:
                return out
        except (OSError, ValueError, KeyError):
            pass  # unreadable or stale cache: rebuild it below
    out = _resample_templates(voxel_mm)
    tmp = path.with_name(path.name + f".tmp{os.getpid()}.npz")
    np.savez_compressed(tmp, **out)
    os.replace(tmp, path)
    return out


# --------------------------------------------------------------------------------------------------------------
# One case
# --------------------------------------------------------------------------------------------------------------


def _rotation(rng, max_deg: float) -> np.ndarray:
    ax, ay, az = np.deg2rad(rng.uniform(-max_deg, max_deg, 3))
    rx = np.array([[1, 0, 0], [0, math.cos(ax), -math.sin(ax)], [0, math.sin(ax), math.cos(ax)]])
    ry = np.array([[math.cos(ay), 0, math.sin(ay)], [0, 1, 0], [-math.sin(ay), 0, math.cos(ay)]])
    rz = np.array([[math.cos(az), -math.sin(az), 0], [math.sin(az), math.cos(az), 0], [0, 0, 1]])
    return rz @ ry @ rx


def _basis(n: int, cells: int) -> np.ndarray:
    """(n, cells) Gaussian interpolation weights, rows scaled to unit norm (unit variance of the field)."""
    spacing = n / cells
    centres = (np.arange(cells) + 0.5) * spacing
    w = np.exp(-0.5 * ((np.arange(n)[:, None] + 0.5 - centres[None, :]) / (0.75 * spacing)) ** 2)
    return (w / np.sqrt((w**2).sum(1, keepdims=True))).astype(np.float32)


def _smooth_field(rng, shape, cells: int) -> np.ndarray:
    """Smooth random field of unit variance: ``cells`` random values per axis blended by Gaussian kernels.

    Separable, so it costs a few tensor products instead of a 3-D spline interpolation.
    """
    coarse = rng.standard_normal((cells, cells, cells)).astype(np.float32)
    wx, wy, wz = (_basis(n, cells) for n in shape)
    out = np.tensordot(wx, coarse, axes=(1, 0))  # (X, c, c)
    out = np.tensordot(out, wy, axes=(1, 1))  # (X, c, Y)
    out = np.tensordot(out, wz, axes=(1, 1))  # (X, Y, Z)
    return np.ascontiguousarray(out, dtype=np.float32)


def _rician(rng, signal: np.ndarray, sigma: float) -> np.ndarray:
    n1 = rng.standard_normal(signal.shape, dtype=np.float32) * sigma
    n2 = rng.standard_normal(signal.shape, dtype=np.float32) * sigma
    return np.sqrt((signal + n1) ** 2 + n2**2)


def make_case(seed: int, case: int, voxel_mm: float = 2.0, return_maps: bool = False):
    """Generate one phantom: ``(image float32 (x, y, z, 4), label uint8 (x, y, z), affine 4x4)``.

    The result depends only on ``(seed, case, voxel_mm)`` (and :data:`GENERATOR_VERSION`). With
    ``return_maps=True`` a fourth item is returned: the subject's tissue fractions ``{"gm", "wm", "csf", "brain"}``
    (before the tumour replaced tissue), useful for checking contrasts.
    """
    voxel_mm = _check_voxel(voxel_mm)
    tpl = load_templates(voxel_mm)
    shape = tpl["gm"].shape
    v = voxel_mm
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), int(case), GENERATOR_VERSION]))

    # ---- tumour size and position (chosen in template space, in white matter, away from the surface) ----------
    r_core = rng.uniform(7.0, 20.0)  # mm, mean radius of the tumour core
    axes = r_core * rng.uniform(0.75, 1.25, 3)  # ellipsoid semi-axes (mm)
    edema_reach = rng.uniform(0.5, 1.6) * r_core + 4.0  # mm of edema beyond the core, in white matter
    cand = (tpl["wm"] > 0.55) & (tpl["dist"] > r_core + 6.0)
    if cand.sum() < 50:  # very large tumour on a coarse grid: relax
        cand = (tpl["mask"] > 0.5) & (tpl["dist"] >= np.percentile(tpl["dist"][tpl["mask"] > 0.5], 90))
    flat = np.flatnonzero(cand)
    centre_t = np.array(np.unravel_index(flat[rng.integers(flat.size)], shape), dtype=np.float64)

    # ---- subject deformation: output voxel x -> template voxel (affine + elastic + mass effect) -----------------
    rot = _rotation(rng, 8.0) * rng.uniform(0.92, 1.08)
    mid = (np.array(shape, dtype=np.float64) - 1) / 2
    shift = rng.uniform(-4.0, 4.0, 3) / v  # voxels
    # template = rot @ (x - mid) + mid + shift  =>  tumour centre in output space:
    centre = np.linalg.solve(rot, centre_t - mid - shift) + mid
    x = np.indices(shape, dtype=np.float32)
    mass = rng.uniform(0.15, 0.45) * min(1.0, r_core / 14.0)
    if mass > 0:  # tissue near the tumour comes from closer to its centre: pushes anatomy outward
        d = x - centre.astype(np.float32)[:, None, None, None]
        r2 = (d**2).sum(0) * (v * v)
        s2 = (1.6 * r_core) ** 2
        g = 1.0 - mass * np.exp(-r2 / s2)
        x = centre.astype(np.float32)[:, None, None, None] + d * g
        del d, r2, g
    coords = np.tensordot(rot.astype(np.float32), x - mid.astype(np.float32)[:, None, None, None], axes=1)
    coords += (mid + shift).astype(np.float32)[:, None, None, None]
    elastic_mm = rng.uniform(1.5, 3.5)
    for k in range(3):
        coords[k] += _smooth_field(rng, shape, 6) * (elastic_mm / v)
    del x

    def warp(a, order=1):
        return ndimage.map_coordinates(a, coords, order=order, mode="constant", cval=0.0)

    gm, wm, csf, mask = (warp(tpl[k]) for k in ("gm", "wm", "csf", "mask"))
    coords = None  # free the (3, X, Y, Z) field before the tumour is drawn
    brain = mask > 0.5
    gm *= brain
    wm *= brain
    csf *= brain

    # ---- tumour compartments, computed in a box around the centre --------------------------------------------
    # the box holds the largest possible core (outline factor >= 0.7) and edema (factor <= 1.15 * 1.4)
    reach = (max(axes) / 0.7 + 1.65 * edema_reach + 2 * v) / v
    lo = np.maximum(np.floor(centre - reach).astype(int), 0)
    hi = np.minimum(np.ceil(centre + reach).astype(int) + 1, shape)
    box = tuple(slice(a, b) for a, b in zip(lo, hi))
    bshape = tuple(int(b - a) for a, b in zip(lo, hi))
    bx = np.indices(bshape, dtype=np.float32) + lo.astype(np.float32)[:, None, None, None]
    d = (bx - centre.astype(np.float32)[:, None, None, None]) * v  # mm from the centre
    q = _rotation(rng, 90.0).astype(np.float32)
    local = np.tensordot(q.T, d, axes=1) / axes.astype(np.float32)[:, None, None, None]
    rho = np.sqrt((local**2).sum(0))
    # irregular, lobulated outline: lobes about the size of the core radius, plus finer bumps
    lobes = int(np.clip(round(max(bshape) * v / (0.9 * r_core)), 3, 16))
    rho /= np.clip(
        1.0 + 0.22 * _smooth_field(rng, bshape, lobes) + 0.08 * _smooth_field(rng, bshape, 2 * lobes), 0.7, 1.4
    )
    b_brain = brain[box]
    core = (rho < 1.0) & b_brain
    if core.sum() == 0:  # degenerate placement (should not happen): force a few voxels at the centre
        c_idx = tuple(np.clip(np.round(centre - lo).astype(int), 0, np.array(bshape) - 1))
        core[c_idx] = True
    high_grade = rng.random() < 0.8
    lab_box = np.zeros(bshape, np.uint8)
    if high_grade:
        nec_frac = rng.uniform(0.3, 0.62)
        rim_noise = _smooth_field(rng, bshape, 2 * lobes)  # rim thickness varies around the tumour
        necrotic = core & (rho < nec_frac + 0.15 * rim_noise)
        rim = core & ~necrotic
        # patches of the rim do not enhance (solid non-enhancing tumour)
        nonenh_patch = rim & (_smooth_field(rng, bshape, lobes) > rng.uniform(0.7, 1.3))
        enhancing = rim & ~nonenh_patch
        nonenh = core & ~enhancing
    else:  # lower-grade-like: mostly non-enhancing, with a small enhancing focus sometimes
        necrotic = np.zeros_like(core)
        focus = _smooth_field(rng, bshape, lobes) > 1.3
        enhancing = core & focus & (rng.random() < 0.6)
        nonenh = core & ~enhancing
    # edema: distance from the core, reaching further along white matter, never into CSF spaces
    dist_core = ndimage.distance_transform_edt(~core).astype(np.float32) * v
    wm_b = ndimage.gaussian_filter(wm[box], 1.0)
    allowed = edema_reach * (0.15 + 1.0 * wm_b) * np.clip(1.0 + 0.25 * _smooth_field(rng, bshape, 5), 0.6, 1.4)
    edema = (dist_core <= allowed) & (csf[box] < 0.6)
    edema |= dist_core <= 1.01 * v * 1.5  # a thin shell always surrounds the core
    edema &= b_brain & ~core
    # keep only edema connected to the core
    lab_cc, _ = ndimage.label(edema | core)
    keep = np.unique(lab_cc[core])
    edema &= np.isin(lab_cc, keep[keep > 0])
    lab_box[edema] = 1
    lab_box[nonenh] = 2
    lab_box[enhancing] = 3
    label = np.zeros(shape, np.uint8)
    label[box] = lab_box

    # ---- intensities -----------------------------------------------------------------------------------------
    def soft(m):
        return ndimage.gaussian_filter(m.astype(np.float32), 0.5)  # partial volume at compartment edges

    s_ed, s_ne, s_nec, s_en = soft(edema), soft(nonenh & ~necrotic), soft(necrotic), soft(enhancing)
    s_tum = np.clip(s_ne + s_nec + s_en, 0, 1)
    het = 1.0 + 0.10 * _smooth_field(rng, bshape, 8)  # tumour heterogeneity
    texture = 1.0 + 0.035 * ndimage.gaussian_filter(rng.standard_normal(shape, dtype=np.float32), 1.0) / 0.2
    jit = {k: np.asarray(c) * rng.uniform(0.95, 1.05, 4) for k, c in _CONTRAST.items()}
    edema_strength = rng.uniform(0.7, 0.95)
    image = np.empty(shape + (4,), np.float32)
    for m in range(4):
        img = gm * jit["gm"][m] + wm * jit["wm"][m] + csf * jit["csf"][m]
        sub = img[box]
        ed_w = s_ed * edema_strength
        sub = sub * (1 - ed_w) + ed_w * jit["edema"][m] * (gm[box] + wm[box] + csf[box])
        sub = sub * (1 - s_tum) + het * (
            s_ne * jit["nonenh"][m] + s_nec * jit["necrosis"][m] + s_en * jit["enhancing"][m]
        )
        img[box] = sub
        img *= texture
        bias = np.exp(0.08 * _smooth_field(rng, shape, 3))
        gain = rng.uniform(400.0, 900.0)
        img = _rician(rng, img * bias * gain, sigma=0.025 * gain)
        image[..., m] = np.where(brain, img, 0.0)
    label *= brain
    if return_maps:
        return image, label, tpl["affine"].copy(), {"gm": gm, "wm": wm, "csf": csf, "brain": brain}
    return image, label, tpl["affine"].copy()


# --------------------------------------------------------------------------------------------------------------
# Writing an MSD-format folder
# --------------------------------------------------------------------------------------------------------------


def _case_name(case: int) -> str:
    return f"BRATS_{int(case):03d}"


def _nifti_bytes(data: np.ndarray, affine: np.ndarray, zooms) -> bytes:
    """Serialise a NIfTI-1 image and gzip it deterministically (no time stamp, no file name in the header)."""
    import nibabel as nib

    img = nib.Nifti1Image(data, affine)
    img.header.set_zooms(tuple(zooms))
    img.header.set_xyzt_units("mm", "sec")
    img.set_qform(affine, code=1)
    img.set_sform(affine, code=1)
    return gzip.compress(img.to_bytes(), compresslevel=1, mtime=0)


def _atomic_write(path: Path, payload: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_bytes(payload)
    os.replace(tmp, path)


def _write_one(root: str, seed: int, case: int, voxel_mm: float) -> str:
    image, label, affine = make_case(seed, case, voxel_mm)
    v = float(voxel_mm)
    img16 = np.clip(np.rint(image), 0, np.iinfo(np.int16).max).astype(np.int16)
    name = _case_name(case)
    rootp = Path(root)
    _atomic_write(rootp / "labelsTr" / f"{name}.nii.gz", _nifti_bytes(label, affine, (v, v, v)))
    # image last: its presence marks the case as complete
    _atomic_write(rootp / "imagesTr" / f"{name}.nii.gz", _nifti_bytes(img16, affine, (v, v, v, 1.0)))
    return name


def _params(seed: int, voxel_mm: float) -> dict:
    return {
        "generator": "helpers.data.brain (AI for Medicine course phantoms)",
        "generator_version": GENERATOR_VERSION,
        "template_version": _TEMPLATE_VERSION,
        "seed": int(seed),
        "voxel_mm": float(voxel_mm),
    }


def _pool_context():
    import multiprocessing as mp

    # fork is fastest, but forking a process that has started TensorFlow/PyTorch threads is unsafe
    heavy = any(m in sys.modules for m in ("tensorflow", "torch", "jax"))
    return mp.get_context("spawn" if heavy or sys.platform != "linux" else "fork")


def write_msd_dataset(
    root, n_cases: int, seed: int = 0, voxel_mm: float = 2.0, workers: int | None = None, progress: bool = True
) -> Path:
    """Write ``n_cases`` phantoms as an MSD Task01-style folder and return its path.

    Layout: ``imagesTr/BRATS_###.nii.gz`` (int16, x, y, z, 4 channels FLAIR/T1w/T1gd/T2w, RAS affine with the voxel
    size), ``labelsTr/BRATS_###.nii.gz`` (uint8, 0-3), ``dataset.json`` (as in MSD) and ``phantom_params.json``.

    Idempotent: cases already written with the same parameters are skipped. A folder written with other
    parameters (seed, voxel size, generator version) is refused with a ``ValueError``. ``workers`` processes
    (default: up to 2) generate the cases.
    """
    from tqdm.auto import tqdm

    if not isinstance(n_cases, (int, np.integer)) or isinstance(n_cases, bool) or n_cases < 1:
        raise ValueError(f"n_cases must be a positive integer, got {n_cases!r}")
    if n_cases > 999:
        raise ValueError("at most 999 cases (names are BRATS_001 ... BRATS_999)")
    voxel_mm = _check_voxel(voxel_mm)
    root = Path(root)
    params = _params(seed, voxel_mm)
    pfile = root / _PARAMS_FILE
    if pfile.exists():
        old = json.loads(pfile.read_text())
        same_request = {k: old.get(k) for k in ("seed", "voxel_mm")} == {k: params[k] for k in ("seed", "voxel_mm")}
        if old != params and same_request:  # written by an older generator version: regenerate every case
            warnings.warn(
                f"{root}: phantoms from generator {old.get('generator_version')} are replaced by "
                f"version {GENERATOR_VERSION}",
                stacklevel=2,
            )
            for sub in ("imagesTr", "labelsTr"):
                for f in (root / sub).glob("BRATS_*.nii.gz"):
                    f.unlink()
        elif old != params:
            raise ValueError(
                f"{root} already holds phantoms made with other parameters ({old}); asked for {params}. "
                "Use another folder or delete this one."
            )
    elif (root / "imagesTr").exists() and any((root / "imagesTr").glob("*.nii*")):
        raise ValueError(
            f"{root} already holds images that were not written by this generator; "
            "refusing to mix phantoms into it. Use another folder."
        )
    (root / "imagesTr").mkdir(parents=True, exist_ok=True)
    (root / "labelsTr").mkdir(parents=True, exist_ok=True)
    _atomic_write(pfile, (json.dumps(params, indent=2) + "\n").encode())

    load_templates(voxel_mm)  # build the template cache once, before any worker starts
    cases = list(range(1, n_cases + 1))
    todo = [
        c
        for c in cases
        if not (
            (root / "imagesTr" / f"{_case_name(c)}.nii.gz").exists()
            and (root / "labelsTr" / f"{_case_name(c)}.nii.gz").exists()
        )
    ]
    workers = min(2, os.cpu_count() or 1) if workers is None else int(workers)
    bar = tqdm(
        total=len(cases),
        initial=len(cases) - len(todo),
        desc=f"brain phantoms ({_voxel_tag(voxel_mm)})",
        unit="case",
        disable=not progress,
    )
    try:
        if workers <= 1 or len(todo) <= 1:
            for c in todo:
                _write_one(str(root), seed, c, voxel_mm)
                bar.update()
        else:
            with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
                futures = [pool.submit(_write_one, str(root), seed, c, voxel_mm) for c in todo]
                for f in futures:
                    f.result()
                    bar.update()
    finally:
        bar.close()

    dataset = {
        "name": "BRATS",
        "description": "Synthetic glioma-like brain MRI phantoms built on the MNI152 2009 template "
        "(AI for Medicine course, helpers.data.brain). Not patient data.",
        "reference": "generated by helpers/data/brain.py from the MNI152 template shipped with nilearn",
        "licence": "CC0 (synthetic); MNI152 template: see nilearn's licence notice",
        "release": f"phantom generator v{GENERATOR_VERSION}",
        "tensorImageSize": "4D",
        "modality": dict(MODALITIES),
        "labels": dict(LABELS),
        "numTraining": n_cases,
        "numTest": 0,
        "training": [
            {"image": f"./imagesTr/{_case_name(c)}.nii.gz", "label": f"./labelsTr/{_case_name(c)}.nii.gz"}
            for c in cases
        ],
        "test": [],
    }
    _atomic_write(root / "dataset.json", (json.dumps(dataset, indent=4) + "\n").encode())
    return root


# --------------------------------------------------------------------------------------------------------------
# Loading (phantoms or the real MSD Task01_BrainTumour folder)
# --------------------------------------------------------------------------------------------------------------

_NAME_RE = re.compile(r"^BRATS_(\d+)\.nii(\.gz)?$")


def list_cases(root, split: str = "imagesTr") -> list[str]:
    """Case names (``"BRATS_001"``, ...) present in ``root/<split>``, sorted."""
    root = Path(root)
    folder = root / split
    if not folder.is_dir():
        raise FileNotFoundError(_missing_root_message(root, split))
    names = [m.group(0).split(".nii")[0] for p in folder.iterdir() if (m := _NAME_RE.match(p.name))]
    return sorted(names, key=lambda s: int(s.split("_")[1]))


def _missing_root_message(root: Path, split: str) -> str:
    return (
        f"No MSD brain-tumour folder with '{split}/' at {root}. Generate phantoms with "
        "`python -m helpers.data generate brain` (or helpers.data.brain.write_msd_dataset), or point to an "
        "unpacked Task01_BrainTumour folder (it contains imagesTr/, labelsTr/ and dataset.json)."
    )


def _case_to_name(case_id) -> str:
    if isinstance(case_id, (int, np.integer)) and not isinstance(case_id, bool):
        if case_id < 0:
            raise ValueError(f"case numbers are positive (BRATS_001 is case 1), got {case_id}")
        return _case_name(case_id)
    if isinstance(case_id, str):
        s = case_id.strip()
        s = re.sub(r"\.nii(\.gz)?$", "", os.path.basename(s))
        if re.fullmatch(r"\d+", s):
            return _case_name(int(s))
        if re.fullmatch(r"BRATS_\d+", s, flags=re.IGNORECASE):
            return "BRATS_" + s.split("_")[1]
    raise ValueError(f"case_id must be a case number (e.g. 1) or a name like 'BRATS_001', got {case_id!r}")


def _find(folder: Path, name: str) -> Path | None:
    for ext in (".nii.gz", ".nii"):
        p = folder / f"{name}{ext}"
        if p.exists():
            return p
    return None


def load_case(root, case_id, canonical: bool = True) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """Load one case: ``(image float32 (x, y, z, 4), label uint8 (x, y, z) or None, affine 4x4)``.

    ``root`` is a phantom folder from :func:`write_msd_dataset` or a real MSD ``Task01_BrainTumour`` folder;
    ``case_id`` is a number (``1``) or a name (``"BRATS_001"``). Images are looked up in ``imagesTr/`` then
    ``imagesTs/``; the label is ``None`` when ``labelsTr/`` has no file for the case (test cases).
    With ``canonical=True`` (default) image and label are reoriented to the closest RAS orientation.
    """
    import nibabel as nib

    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(_missing_root_message(root, "imagesTr"))
    name = _case_to_name(case_id)
    img_path = None
    for split in ("imagesTr", "imagesTs"):
        if (root / split).is_dir():
            img_path = img_path or _find(root / split, name)
    if img_path is None:
        if not (root / "imagesTr").is_dir() and not (root / "imagesTs").is_dir():
            raise FileNotFoundError(_missing_root_message(root, "imagesTr"))
        present = list_cases(root) if (root / "imagesTr").is_dir() else []
        hint = f"{len(present)} cases present: {present[0]} ... {present[-1]}" if present else "no cases present"
        raise FileNotFoundError(f"Case {name} not found in {root}/imagesTr or imagesTs ({hint}).")
    img = nib.load(str(img_path))
    if canonical:
        img = nib.as_closest_canonical(img)
    image = np.asarray(img.get_fdata(dtype=np.float32))
    if image.ndim == 3:
        image = image[..., None]
    if image.ndim != 4:
        raise ValueError(f"{img_path}: expected a 4-D image (x, y, z, modality), got shape {image.shape}")
    affine = img.affine.copy()
    label = None
    lab_path = _find(root / "labelsTr", name) if (root / "labelsTr").is_dir() else None
    if lab_path is not None:
        lab = nib.load(str(lab_path))
        if canonical:
            lab = nib.as_closest_canonical(lab)
        label = np.rint(np.asarray(lab.dataobj)).astype(np.uint8)
        if label.shape != image.shape[:3]:
            raise ValueError(f"{name}: label shape {label.shape} does not match image shape {image.shape[:3]}")
    return image, label, affine


def brats_regions(label: np.ndarray) -> dict[str, np.ndarray]:
    """BraTS evaluation regions from an MSD Task01 label map: whole tumour, tumour core, enhancing tumour."""
    label = np.asarray(label)
    return {"whole tumour": label > 0, "tumour core": (label == 2) | (label == 3), "enhancing tumour": label == 3}


# --------------------------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------------------------


def default_dataset_dir(voxel_mm: float = 2.0, seed: int = 0) -> Path:
    """Folder used by the command line (and notebooks) for a given voxel size and seed."""
    return generated_dir("brain", f"msd_{_voxel_tag(_check_voxel(voxel_mm))}_seed{int(seed)}")


def generate_from_cli(n: int | None = None, size: float | None = None, seed: int = 0) -> Path:
    """``python -m helpers.data generate brain``: write ``n`` cases (default 8 in FAST mode, else 40) with voxel
    size ``size`` mm (default 2.0) to :func:`default_dataset_dir` and return the folder."""
    n = fast_or_full(8, 40) if n is None else int(n)
    voxel_mm = 2.0 if size is None else _check_voxel(size)
    seed = 0 if seed is None else int(seed)
    return write_msd_dataset(default_dataset_dir(voxel_mm, seed), n_cases=n, seed=seed, voxel_mm=voxel_mm)
