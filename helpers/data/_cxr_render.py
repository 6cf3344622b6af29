"""Phantom frontal chest radiographs with the radiographic sign of each NIH ChestX-ray14 finding.

The picture is built as a map of attenuation (how much tissue the beam crosses) and turned into film brightness by
``1 - exp(-k * attenuation)``: soft tissue of the trunk, air in two real lung masks (from torchxrayvision's 517
binary masks), mediastinum, heart, spine, clavicles, ribs and branching vessels; then exposure, processing and
film noise. Each present finding adds its sign and records its bounding box.

Image coordinates: x grows to the right of the picture, which is the patient's LEFT (a frontal radiograph is seen as
if facing the patient). "Side 0" below is the lung on the image's left (the patient's right lung).

Randomness: anatomy comes from a generator seeded by (seed, patient), so follow-up images of one patient share lungs,
heart size and build (as real follow-ups do, which makes patient leakage matter); pose, exposure, noise and lesions
come from a generator seeded by (seed, image id). The output is a deterministic function of (row, image id, size,
seed).
"""

from __future__ import annotations

import zlib

import numpy as np
from scipy import ndimage

from helpers.data._cxr_assets import FINDINGS, MASK_RES, load_lung_masks, load_nih_boxes

RENDER_VERSION = 6
"""Bump when the picture changes, so cached data sets are regenerated."""

# the working resolution is at least this; smaller outputs are rendered here and reduced
MIN_WORK = 128

# 1 cm in units of the image side (a thorax about 28 cm wide fills ~0.7 of the side)
CM = 0.025


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


class _Canvas:
    """Pixel grid of the working resolution, in fractions of the image side."""

    def __init__(self, res: int):
        self.res = res
        c = ((np.arange(res) + 0.5) / res).astype(np.float32)
        self.Y, self.X = np.meshgrid(c, c, indexing="ij")
        self.px = 1.0 / res  # one pixel in fractions

    def blur(self, img, sigma_frac):
        return ndimage.gaussian_filter(img, sigma_frac * self.res, mode="nearest")

    def disk(self, cy, cx, r, edge=0.15, lobes=None):
        """Soft disk of radius r (fractions); ``lobes`` = [(amplitude, frequency, phase), ...] for lobulation."""
        dy, dx = self.Y - cy, self.X - cx
        rho = np.sqrt(dy * dy + dx * dx)
        rr = r
        if lobes:
            th = np.arctan2(dy, dx)
            rr = r * (1 + sum(a * np.sin(f * th + p) for a, f, p in lobes))
        return _sigmoid((rr - rho) / max(edge * r, 0.6 * self.px))

    def gauss(self, cy, cx, sy, sx):
        return np.exp(-0.5 * (((self.Y - cy) / sy) ** 2 + ((self.X - cx) / sx) ** 2))

    def segment(self, y0, x0, y1, x1, half_width):
        """Soft line segment (a thick stroke) between two points."""
        vy, vx = y1 - y0, x1 - x0
        length2 = vy * vy + vx * vx + 1e-12
        t = np.clip(((self.Y - y0) * vy + (self.X - x0) * vx) / length2, 0, 1)
        d = np.hypot(self.Y - (y0 + t * vy), self.X - (x0 + t * vx))
        return _sigmoid((half_width - d) / max(0.35 * half_width, 0.5 * self.px))


def _box(mask, thr=0.5):
    """Bounding box (x, y, w, h) in fractions of the side of mask > thr, or None."""
    ys, xs = np.nonzero(mask > thr)
    if ys.size == 0:
        return None
    n = mask.shape[0]
    return (xs.min() / n, ys.min() / n, (xs.max() + 1 - xs.min()) / n, (ys.max() + 1 - ys.min()) / n)


def _rng(seed: int, key, stream: int) -> np.random.Generator:
    if isinstance(key, str):
        key = zlib.crc32(key.encode())
    return np.random.default_rng([int(seed) & 0xFFFFFFFF, int(key) & 0xFFFFFFFF, stream])


def _patient_of(image_id: str) -> int:
    head = str(image_id).split("_")[0]
    return int(head) if head.isdigit() else zlib.crc32(str(image_id).encode())


def _polyline_points(segments, res, weights):
    """Points sampled densely (about 3 per pixel) along line segments [(y0, x0, y1, x1)], with per-segment weights."""
    seg = np.asarray(segments, np.float32).reshape(-1, 4)
    length = np.hypot(seg[:, 2] - seg[:, 0], seg[:, 3] - seg[:, 1]) * res
    k = int(max(2, np.ceil(length.max() * 3))) if len(seg) else 2
    t = np.linspace(0, 1, k, dtype=np.float32)[None, :]
    ys = (seg[:, :1] + t * (seg[:, 2:3] - seg[:, :1])) * res
    xs = (seg[:, 1:2] + t * (seg[:, 3:4] - seg[:, 1:2])) * res
    w = np.broadcast_to(np.asarray(weights, np.float32)[:, None], ys.shape)
    return ys.ravel(), xs.ravel(), w.ravel()


def _splat(res, ys, xs, w):
    """Draw weighted points into a res x res canvas (bilinear, keeping the maximum per pixel)."""
    canvas = np.zeros(res * res, np.float32)
    y0, x0 = np.floor(ys - 0.5), np.floor(xs - 0.5)
    fy, fx = ys - 0.5 - y0, xs - 0.5 - x0
    for dy, dx, ww in ((0, 0, (1 - fy) * (1 - fx)), (0, 1, (1 - fy) * fx), (1, 0, fy * (1 - fx)), (1, 1, fy * fx)):
        yy, xx = (y0 + dy).astype(np.int64), (x0 + dx).astype(np.int64)
        ok = (yy >= 0) & (yy < res) & (xx >= 0) & (xx < res)
        np.maximum.at(canvas, yy[ok] * res + xx[ok], (w * ww)[ok])
    return canvas.reshape(res, res)


def _vessel_tree(cv: _Canvas, rng, hila, lungs, amount):
    """Branching pulmonary vessels as random walks out of each hilum, thinning and fading outwards."""
    res = cv.res
    segs, weights = [], []
    normals = iter(rng.normal(0, 1, 8192).tolist())
    uniforms = iter(rng.random(8192).tolist())
    for side, (hy, hx) in enumerate(hila):
        lateral = -1.0 if side == 0 else 1.0
        for base in np.linspace(-2.2, 1.9, 8):  # trunks fan out from up-lateral to down-medial
            stack = [(hy + 0.015 * next(normals), hx + 0.01 * next(normals), base + 0.15 * next(normals), 1.0, 0)]
            while stack:
                y, x, a, w, depth = stack.pop()
                step = 0.028 * (0.8**depth)
                for _ in range(3 + int(next(uniforms) * 4)):
                    a += 0.3 * next(normals)
                    ny, nx = y + step * np.sin(a), x + lateral * step * np.cos(a)
                    segs.append((y, x, ny, nx))
                    weights.append(w)
                    y, x, w = ny, nx, w * 0.88
                    if depth < 3 and next(uniforms) < 0.45:
                        sign = 1 if next(uniforms) < 0.5 else -1
                        stack.append((y, x, a + sign * (0.4 + 0.4 * next(uniforms)), w * 0.75, depth + 1))
    ys, xs, ws = _polyline_points(segs, res, weights)
    canvas = _splat(res, ys, xs, ws)
    canvas = ndimage.gaussian_filter(canvas, max(0.45, 0.5 * res / 128))
    # fine parenchymal texture
    grain = ndimage.gaussian_filter(rng.standard_normal((res, res)).astype(np.float32), 0.008 * res)
    canvas += 0.07 * grain / (grain.std() + 1e-6)
    return amount * canvas * lungs


def _real_box(rng, finding):
    """A real NIH box of this finding (centre and size as fractions of the NIH image), or None."""
    boxes = load_nih_boxes()
    sub = boxes[boxes["Finding"] == finding]
    if sub.empty:
        return None
    row = sub.iloc[int(rng.integers(len(sub)))]
    return float(row.cx), float(row.cy), float(row.w), float(row.h)


class _Scene:
    def __init__(self, row: dict, image_id: str, res: int, seed: int):
        self.cv = _Canvas(res)
        self.labels = {f for f in FINDINGS if int(row.get(f, 0) or 0) == 1}
        pid = row.get("PatientId")
        pid = _patient_of(image_id) if pid is None or (isinstance(pid, float) and np.isnan(pid)) else int(pid)
        self.prng = _rng(seed, pid, 1)  # anatomy of the patient
        self.rng = _rng(seed, image_id, 2)  # this image: pose and lesions
        self.frng = _rng(seed, image_id, 3)  # this image: vessels, exposure and noise (independent of the labels)
        self.sex = str(row.get("Sex", "M"))
        self.view = str(row.get("View", "PA"))
        self.boxes: list[tuple[str, tuple[float, float, float, float]]] = []
        self.mu = np.zeros((res, res), np.float32)
        self.markings_gain = np.ones((res, res), np.float32)
        self.extra_air = np.zeros((res, res), np.float32)
        self._anatomy()

    # ------------------------------------------------------------------ anatomy
    def _anatomy(self):
        cv, p, r = self.cv, self.prng, self.rng
        labels_all, ratios = load_lung_masks()
        self.mask_index = int(p.integers(len(ratios)))
        template = labels_all[self.mask_index]
        w = p.uniform(0.64, 0.74) * r.uniform(0.98, 1.02)
        h = w * float(ratios[self.mask_index]) * p.uniform(0.92, 1.06)
        inspiration = r.uniform(0.96, 1.03) * (0.95 if self.view == "AP" else 1.0)
        h *= inspiration
        top = p.uniform(0.09, 0.15) + r.normal(0, 0.01)
        h = min(h, 0.86 - top)
        cx = 0.5 + p.normal(0, 0.012) + r.normal(0, 0.01)
        rot = float(np.deg2rad(r.normal(0, 2.0)))
        sy = [1.0, 1.0]  # per-lung vertical scale (volume loss / hyperinflation)
        flatten = False
        if "Emphysema" in self.labels:
            s = r.uniform(1.08, 1.15)
            sy = [s, s]
            flatten = True
        if "Fibrosis" in self.labels:
            sy = [v * r.uniform(0.9, 0.95) for v in sy]
        self.atel_side = int(r.integers(2))
        if "Atelectasis" in self.labels:
            sy[self.atel_side] *= r.uniform(0.86, 0.93)
        # keep the lungs inside the picture
        scale_max = max(sy)
        if top + h * scale_max > 0.93:
            h = (0.93 - top) / scale_max
        self.top, self.h, self.w, self.cx = top, h, w, cx
        left = cx - w / 2
        # sample the template: rotate picture coordinates about the lung box centre, then map into the template
        cy0 = top + h / 2
        cos, sin = float(np.cos(rot)), float(np.sin(rot))
        Yr = cy0 + (cv.Y - cy0) * cos - (cv.X - cx) * sin
        Xr = cx + (cv.Y - cy0) * sin + (cv.X - cx) * cos
        u = (Xr - left) / w * MASK_RES - 0.5
        lungs = []
        for k in (0, 1):
            v = (Yr - top) / (h * sy[k]) * MASK_RES - 0.5
            m = ndimage.map_coordinates((template == k + 1).astype(np.float32), [v, u], order=1, cval=0.0)
            if flatten:  # hyperinflation flattens the domes: cut the stretched lung with an almost flat line
                yb = top + h * sy[k] * 0.93
                m = m * _sigmoid((yb + 0.01 * (np.abs(cv.X - cx) / (w / 2)) - cv.Y) / (1.2 * cv.px))
            lungs.append(cv.blur(m, 0.6 * cv.px))
        self.lungs = lungs
        self.lung = np.clip(lungs[0] + lungs[1], 0, 1)
        # measured extents
        self.ext = []
        for m in lungs:
            ys, xs = np.nonzero(m > 0.5)
            if ys.size == 0:  # degenerate (should not happen) - fall back to the nominal half box
                self.ext.append((top, top + h, left, cx))
            else:
                self.ext.append(
                    (
                        float(ys.min() / cv.res),
                        float((ys.max() + 1) / cv.res),
                        float(xs.min() / cv.res),
                        float((xs.max() + 1) / cv.res),
                    )
                )
        lx0 = min(self.ext[0][2], self.ext[1][2])
        lx1 = max(self.ext[0][3], self.ext[1][3])
        self.thorax_w = lx1 - lx0
        self.mid = 0.5 * (self.ext[0][3] + self.ext[1][2])  # midline between the lungs' medial edges
        self.lung_bottom = max(self.ext[0][1], self.ext[1][1])
        self.hila = [(top + 0.42 * h, self.mid - 0.09 * w), (top + 0.44 * h, self.mid + 0.08 * w)]

        Y, X = cv.Y, cv.X
        mid = self.mid
        # trunk: neck, shoulders, chest wall; outside it there is air (black)
        half = w / 2 + p.uniform(0.05, 0.09)
        shoulder = top + 0.02
        hw = np.where(
            Y < shoulder - 0.05,
            0.12 + 0.5 * _sigmoid((Y - (shoulder - 0.07)) / 0.012),
            half + 0.25 * _sigmoid((shoulder + 0.05 - Y) / 0.02),
        )
        body = _sigmoid((hw - np.abs(X - mid)) / 0.01)
        thickness = 1.0 - 0.28 * ((X - mid) / (half + 0.05)) ** 2
        mu = 1.0 * body * np.clip(thickness, 0.3, 1)
        # abdomen below the diaphragm domes (as dense as the heart, so the heart's lower border merges into it)
        rows = np.arange(cv.res, dtype=np.float32)
        cols_y = np.where(self.lung.max(axis=0) > 0.5, ((self.lung > 0.5) * rows[:, None]).max(axis=0), -1.0)
        have = cols_y >= 0
        dome = (
            np.interp(np.arange(cv.res), np.flatnonzero(have), cols_y[have]) / cv.res
            if have.any()
            else np.full(cv.res, self.lung_bottom, np.float32)
        )
        self.abdomen = _sigmoid((Y - dome[None, :].astype(np.float32)) / 0.008)
        mu += 0.35 * self.abdomen * body
        # breasts (women): soft density over the lower lung fields with a sharper lower edge
        if self.sex.startswith("F") and p.random() < 0.85:
            for s in (-1, 1):
                bx, by = mid + s * 0.22 * w / 0.7, top + p.uniform(0.72, 0.85) * h
                mu += 0.18 * cv.gauss(by, bx, 0.09, 0.13) * _sigmoid((by + 0.1 - Y) / 0.01)
        # mediastinum (denser centrally), trachea
        mu += 0.18 * np.exp(-0.5 * ((X - mid) / 0.06) ** 2) * _sigmoid((self.lung_bottom - Y) / 0.02)
        carina = top + 0.3 * h
        mu -= (
            0.35
            * np.exp(-0.5 * ((X - mid - 0.004) / 0.011) ** 4)
            * _sigmoid((carina - Y) / 0.01)
            * _sigmoid((Y - 0.01) / 0.01)
        )
        # spine with disc spaces
        spine = np.exp(-0.5 * ((X - mid) / 0.038) ** 6)
        self.rib_gap = 0.092 * h
        discs = 0.5 + 0.5 * np.cos(2 * np.pi * (Y - top) / (self.rib_gap * 0.95))
        mu += spine * (0.22 - 0.07 * discs**8)
        # heart
        if "Cardiomegaly" in self.labels:
            ctr = r.uniform(0.54, 0.66)
        else:
            ctr = min(p.uniform(0.38, 0.46) + (0.02 if self.view == "AP" else 0.0) + r.normal(0, 0.006), 0.48)
        heart_w = ctr * self.thorax_w
        theta = float(np.deg2rad(p.uniform(20, 32)))
        ratio_ab = p.uniform(0.68, 0.78)
        A = float((heart_w / 2) / np.sqrt(np.cos(theta) ** 2 + (ratio_ab * np.sin(theta)) ** 2))
        B = A * ratio_ab
        hcx = mid + heart_w * p.uniform(0.12, 0.2)
        hcy = top + p.uniform(0.7, 0.76) * h
        dy, dx = Y - hcy, X - hcx
        ct, st = float(np.cos(theta)), float(np.sin(theta))
        e = ((dx * ct + dy * st) / A) ** 2 + ((-dx * st + dy * ct) / B) ** 2
        heart = _sigmoid((1 - e) / 0.06)
        self.heart = heart
        self.heart_box = (hcx - heart_w / 2, hcy, heart_w, B)
        ys, xs = np.nonzero(heart > 0.5)
        self.ctr = float(((xs.max() + 1 - xs.min()) / cv.res) / self.thorax_w)
        self.heart_bottom = float((ys.max() + 1) / cv.res)
        self.heart_center = (hcy, hcx)
        mu += 0.4 * heart
        # aortic knob
        mu += 0.45 * cv.disk(top + 0.2 * h, mid + 0.045, 0.028, edge=0.25)
        # hila
        for hy, hx in self.hila:
            mu += 0.22 * cv.gauss(hy, hx, 0.035, 0.022)
        # gastric bubble under the left hemidiaphragm (picture right)
        if p.random() < 0.6:
            by = self.ext[1][1] + 0.035
            bx = 0.5 * (self.ext[1][2] + self.ext[1][3]) + 0.02
            mu -= 0.35 * cv.disk(by, bx, 0.035, edge=0.2) * _sigmoid((Y - by + 0.012) / 0.004)
        # clavicles
        for s in (-1, 1):
            u = np.clip(s * (X - mid) / 0.38, 0, 1.2)
            yc = top + 0.035 - 0.07 * u + 0.025 * np.sin(np.pi * u)
            band = np.exp(-0.5 * ((Y - yc) / 0.014) ** 4) * _sigmoid((u - 0.1) / 0.03)
            mu += 0.42 * band * body
        self.body = body
        self.mu_anatomy = mu

    def ribs(self):
        """Posterior ribs (up-and-out from the spine, curving down at the chest wall) and faint anterior ribs.

        The ribs of one side are parallel curves, so one periodic profile of (y - curve(x)) / spacing draws them all.
        """
        cv, p = self.cv, self.prng
        Y, X = cv.Y, cv.X
        out = np.zeros_like(Y)
        gap = self.rib_gap
        y0 = self.top - 0.3 * gap + p.uniform(-0.4, 0.2) * gap
        # 1-D profiles over one period: flat-topped bone with brighter cortical edges
        f = np.linspace(-0.5, 0.5, 257, dtype=np.float32)
        d = f / 0.46
        post = np.exp(-((d * 2.0) ** 6)) * 0.6 + 0.4 * np.exp(-(((np.abs(d) - 0.45) / 0.12) ** 2))
        ant = 0.35 * np.exp(-((f / 0.5 * 2.0) ** 4))
        for s in (-1, 1):
            u = s * (X - self.mid) / (self.w / 2)
            inside = _sigmoid((u - 0.07) / 0.03) * _sigmoid((1.12 - u) / 0.03)
            uc = np.clip(u, 0, None)
            t = (Y - y0 - gap * (-1.0 * u + 2.4 * uc**3)) / gap
            frac = t - np.round(t)
            out += np.interp(frac, f, post) * ((t > -0.5) & (t < 10.5)) * inside
            t = (Y - y0 - 0.7 * gap - gap * 1.6 * (1 - np.clip(u, 0, 1))) / (1.25 * gap)
            frac = t - np.round(t)
            out += np.interp(frac, f, ant) * ((t > -0.5) & (t < 5.5)) * _sigmoid((u - 0.3) / 0.05) * inside
        return out

    # ------------------------------------------------------------------ helpers for lesions
    def record(self, finding, layer, thr=0.5, relative=True):
        t = thr * float(layer.max()) if relative else thr
        box = _box(layer, t)
        if box is not None:
            self.boxes.append((finding, box))
        return box

    def point_in_lung(self, cy, cx, side=None):
        """Nearest point inside the (given side's) lung to (cy, cx)."""
        m = self.lungs[side] if side is not None else self.lung
        m = m * (1 - self.heart)  # visible lung, not behind the heart
        res = self.cv.res
        iy, ix = int(np.clip(cy * res, 0, res - 1)), int(np.clip(cx * res, 0, res - 1))
        if m[iy, ix] > 0.6:
            return cy, cx
        ys, xs = np.nonzero(m > 0.6)
        if ys.size == 0:
            return cy, cx
        j = np.argmin((ys - iy) ** 2 + (xs - ix) ** 2)
        return float((ys[j] + 0.5) / res), float((xs[j] + 0.5) / res)

    def real_position(self, finding, fallback_side=None):
        """Place a lesion where a real NIH box of this finding was (mapped onto this chest), inside a lung."""
        rng = self.rng
        real = _real_box(rng, finding)
        left = self.mid - self.thorax_w / 2
        if real is not None:
            cx, cy, bw, bh = real
            x = left + (cx - 0.12) / 0.76 * self.thorax_w + rng.normal(0, 0.02)
            y = self.top + (cy - 0.1) / 0.72 * self.h + rng.normal(0, 0.02)
            size = (bw * bh) ** 0.5 * self.thorax_w / 0.76
        else:
            side = fallback_side if fallback_side is not None else int(rng.integers(2))
            t, b, l, r = self.ext[side]
            x, y, size = rng.uniform(l, r), rng.uniform(t + 0.1 * (b - t), b - 0.1 * (b - t)), None
        y, x = self.point_in_lung(y, x)
        return y, x, size

    def side_of(self, x):
        return 0 if x < self.mid else 1

    def texture(self, sigma, seed_offset=0):
        """Smooth unit-variance noise field."""
        n = self.rng.standard_normal(self.cv.Y.shape).astype(np.float32)
        n = ndimage.gaussian_filter(n, sigma * self.cv.res, mode="wrap")
        return n / (n.std() + 1e-6)

    def bronchograms(self, region, cy, cx):
        """Dark branching air-filled bronchi inside an airspace opacity."""
        from skimage.draw import line_aa

        res, rng = self.cv.res, self.rng
        canvas = np.zeros((res, res), np.float32)
        hy, hx = self.hila[self.side_of(cx)]
        base = np.arctan2(cy - hy, cx - hx)
        for _ in range(int(rng.integers(2, 4))):
            y, x = cy - 0.03 * np.sin(base), cx - 0.03 * np.cos(base)
            a = base + rng.normal(0, 0.5)
            for _ in range(4):
                a += rng.normal(0, 0.25)
                ny, nx = y + 0.022 * np.sin(a), x + 0.022 * np.cos(a)
                rr, cc, val = line_aa(int(y * res), int(x * res), int(ny * res), int(nx * res))
                ok = (rr >= 0) & (rr < res) & (cc >= 0) & (cc < res)
                np.maximum.at(canvas, (rr[ok], cc[ok]), val[ok].astype(np.float32))
                y, x = ny, nx
        canvas = ndimage.gaussian_filter(canvas, max(0.4, 0.45 * res / 128))
        return canvas * region

    # ------------------------------------------------------------------ findings
    def add_findings(self):
        for f in FINDINGS:
            if f in self.labels:
                getattr(self, "_" + f.lower())()

    def _cardiomegaly(self):
        self.record("Cardiomegaly", self.heart)

    def _effusion(self):
        cv, r = self.cv, self.rng
        u = r.random()
        sides = [0] if u < 0.45 else [1] if u < 0.75 else [0, 1]
        for s in sides:
            t, b, l, rgt = self.ext[s]
            lh = b - t
            fh = r.uniform(0.18, 0.45) * lh
            lateral = (cv.X - rgt) / (l - rgt) if s == 0 else (cv.X - l) / (rgt - l)  # 0 medial ... 1 lateral
            lateral = np.clip(lateral, 0, 1.2)
            level = b - fh - 0.35 * fh * lateral**2.5
            fluid = _sigmoid((cv.Y - level) / 0.008)
            within = cv.blur((self.lungs[s] > 0.3).astype(np.float32), 0.006)
            layer = fluid * within * (0.85 + 0.15 * np.clip((cv.Y - level) / fh, 0, 1))
            self.mu += 0.8 * layer
            self.markings_gain *= 1 - 0.8 * layer
            self.record("Effusion", layer, thr=0.4, relative=False)

    def _pneumothorax(self):
        cv, r = self.cv, self.rng
        s = int(r.integers(2))
        t, b, l, rgt = self.ext[s]
        # the lung falls away from the chest wall towards its medial base (air rises to the apex in an upright patient)
        ay, ax = b - 0.1 * (b - t), (rgt if s == 0 else l)
        k = r.uniform(0.68, 0.85)
        v = (cv.Y - ay) / k + ay
        uu = (cv.X - ax) / (k * r.uniform(1.0, 1.08)) + ax
        collapsed = ndimage.map_coordinates(self.lungs[s], [v * cv.res - 0.5, uu * cv.res - 0.5], order=1)
        rim = np.clip(self.lungs[s] - collapsed, 0, 1)
        self.extra_air += 0.1 * rim
        self.markings_gain *= 1 - rim
        edge = np.abs(cv.blur(collapsed, 0.6 * cv.px) - 0.5) < 0.22
        line = cv.blur(edge.astype(np.float32), 0.5 * cv.px) * (self.lungs[s] > 0.5)
        self.mu += 0.3 * line + 0.03 * collapsed
        self.record("Pneumothorax", rim, thr=0.5, relative=False)

    def _mass(self):
        r = self.rng
        y, x, size = self.real_position("Mass")
        rad = np.clip((size or 0.12) / 2 * r.uniform(0.8, 1.1), 1.6 * CM, 3.2 * CM)  # 3.2 - 6.4 cm across
        lobes = [(r.uniform(0.05, 0.12), 3, r.uniform(0, 6.3)), (r.uniform(0.03, 0.08), 5, r.uniform(0, 6.3))]
        layer = self.cv.disk(y, x, rad, edge=0.12, lobes=lobes)
        self.mu += r.uniform(0.55, 0.75) * layer
        self.record("Mass", layer, relative=False)

    def _nodule(self):
        r = self.rng
        count = int(r.choice([1, 1, 1, 2, 2, 3]))
        for _ in range(count):
            y, x, _ = self.real_position("Nodule")
            rad = r.uniform(0.55, 1.2) * CM  # 1.1 - 2.4 cm across
            layer = self.cv.disk(y, x, rad, edge=0.18)
            self.mu += r.uniform(0.65, 0.9) * layer
            self.record("Nodule", layer, relative=False)

    def _atelectasis(self):
        cv, r = self.cv, self.rng
        s = self.atel_side
        t, b, l, rgt = self.ext[s]
        lh, lw = b - t, rgt - l
        if r.random() < 0.5 or s == 1:  # plate-like (discoid): 1-2 bands in the lower zone (left: the wedge would hide
            # behind the heart)
            layer = np.zeros_like(cv.Y)
            for _ in range(int(r.integers(1, 3))):
                yc = t + r.uniform(0.6, 0.85) * lh
                xc = l + r.uniform(0.3, 0.7) * lw
                yc, xc = self.point_in_lung(yc, xc, s)
                half = r.uniform(0.07, 0.12)
                a = np.deg2rad(r.uniform(-15, 15))
                layer = np.maximum(
                    layer,
                    cv.segment(
                        yc - half * np.sin(a),
                        xc - half * np.cos(a),
                        yc + half * np.sin(a),
                        xc + half * np.cos(a),
                        r.uniform(0.008, 0.013),
                    ),
                )
            layer = layer * cv.blur((self.lungs[s] > 0.3).astype(np.float32), 0.004)
            self.mu += 0.7 * layer
        else:  # lower-lobe collapse: a triangular opacity from the hilum to the medial base
            hy, hx = self.hila[s]
            lateral = -1 if s == 0 else 1
            ang = np.arctan2(cv.X - hx, cv.Y - hy) * lateral  # 0 = straight down, > 0 = towards the chest wall
            width = r.uniform(0.45, 0.8)
            wedge = _sigmoid((width - ang) / 0.06) * _sigmoid((ang - 0.05) / 0.06) * _sigmoid((cv.Y - hy) / 0.01)
            layer = wedge * self.lungs[s] * (1 - 0.8 * self.heart)
            self.mu += r.uniform(0.6, 0.75) * layer
            self.markings_gain *= 1 - 0.6 * layer
        self.record("Atelectasis", layer, thr=0.4, relative=False)

    def _airspace(self, finding, density, patchiness, n_patches, bronchi):
        cv, r = self.cv, self.rng
        for _ in range(n_patches):
            y, x, size = self.real_position(finding if finding == "Pneumonia" else "Infiltration")
            s = self.side_of(x)
            ry = np.clip((size or 0.18) * r.uniform(0.35, 0.5), 0.06, 0.12)
            rx = ry * r.uniform(0.7, 1.1)
            field = 1 - ((cv.Y - y) / ry) ** 2 - ((cv.X - x) / rx) ** 2 + patchiness * self.texture(0.025)
            blob = (
                _sigmoid(field / 0.12)
                * cv.blur((self.lungs[s] > 0.3).astype(np.float32), 0.004)
                * (1 - 0.8 * self.heart)
            )
            self.mu += density * blob
            self.markings_gain *= 1 - 0.6 * blob
            if bronchi:
                self.mu -= 0.45 * density * self.bronchograms(blob > 0.5, y, x)
            self.record(finding, blob, thr=0.5, relative=False)

    def _consolidation(self):
        self._airspace("Consolidation", self.rng.uniform(0.6, 0.75), 0.25, 1, True)

    def _pneumonia(self):
        self._airspace("Pneumonia", self.rng.uniform(0.45, 0.6), 0.5, int(self.rng.integers(1, 3)), True)

    def _infiltration(self):
        cv, r = self.cv, self.rng
        y, x, size = self.real_position("Infiltration")
        rad = np.clip((size or 0.2) * 0.5, 0.07, 0.13)
        layer = np.zeros_like(cv.Y)
        for _ in range(int(r.integers(3, 6))):
            py, px = y + r.normal(0, rad * 0.5), x + r.normal(0, rad * 0.5)
            layer += cv.gauss(py, px, r.uniform(0.022, 0.035), r.uniform(0.022, 0.035))
        mottle = np.clip(0.6 + 0.5 * self.texture(0.008), 0, 1.5)
        layer = np.clip(layer, 0, 1) * mottle * self.lung * (1 - 0.8 * self.heart)
        self.mu += r.uniform(0.5, 0.62) * layer
        self.record("Infiltration", layer, thr=0.3, relative=True)

    def _edema(self):
        cv, r = self.cv, self.rng
        amp = r.uniform(0.35, 0.5)
        for s in (0, 1):
            hy, hx = self.hila[s]
            lateral = -1 if s == 0 else 1
            haze = cv.gauss(hy + 0.02, hx + lateral * 0.03, 0.12, 0.09) * self.lungs[s]
            t, b, l, rgt = self.ext[s]
            kerley = np.zeros_like(cv.Y)
            edge_x = l if s == 0 else rgt
            for _ in range(int(r.integers(4, 8))):
                ky = b - r.uniform(0.03, 0.17)
                kx = edge_x - lateral * 0.004
                kerley = np.maximum(
                    kerley, cv.segment(ky, kx, ky + r.normal(0, 0.003), kx - lateral * r.uniform(0.025, 0.045), 0.0035)
                )
            kerley *= self.lungs[s]
            self.mu += amp * haze + 0.45 * kerley
            self.markings_gain *= 1 + 0.8 * haze  # engorged, indistinct vessels
            self.record("Edema", np.maximum(haze / max(haze.max(), 1e-6), kerley), thr=0.4, relative=False)

    def _emphysema(self):
        cv, r = self.cv, self.rng
        self.extra_air += r.uniform(0.1, 0.16) * self.lung
        self.markings_gain *= 0.45
        for _ in range(int(r.integers(0, 3))):  # apical bullae: lucent areas with a hairline wall
            s = int(r.integers(2))
            t, b, l, rgt = self.ext[s]
            y, x = self.point_in_lung(t + r.uniform(0.08, 0.25) * (b - t), r.uniform(l, rgt), s)
            rad = r.uniform(0.025, 0.045)
            d = cv.disk(y, x, rad, edge=0.1)
            self.extra_air += 0.12 * d * self.lungs[s]
            self.markings_gain *= 1 - d
            self.mu += 0.12 * (np.abs(d - 0.5) < 0.3) * self.lungs[s]
        for s in (0, 1):
            self.record("Emphysema", self.lungs[s], thr=0.5, relative=False)

    def _fibrosis(self):
        cv, r = self.cv, self.rng
        n = self.rng.standard_normal(cv.Y.shape).astype(np.float32)
        band = ndimage.gaussian_filter(n, 0.006 * cv.res) - ndimage.gaussian_filter(n, 0.014 * cv.res)
        band /= band.std() + 1e-6
        net = np.exp(-((band / 0.35) ** 2))  # thin curved lines where the band-pass noise crosses zero
        for s in (0, 1):
            t, b, l, rgt = self.ext[s]
            zone = _sigmoid((cv.Y - (t + r.uniform(0.45, 0.6) * (b - t))) / 0.03) * self.lungs[s]
            self.mu += (r.uniform(0.2, 0.28) * cv.blur(net, 0.4 * cv.px) + 0.1) * zone
            self.markings_gain *= 1 - 0.5 * zone
            self.record("Fibrosis", zone, thr=0.5, relative=False)

    def _pleural_thickening(self):
        cv, r = self.cv, self.rng
        s = int(r.integers(2))
        t, b, l, rgt = self.ext[s]
        inside = self.lungs[s] > 0.5
        depth = ndimage.distance_transform_edt(inside) / cv.res
        thick = r.uniform(0.014, 0.028)
        rim = _sigmoid((thick - depth) / (0.25 * thick)) * inside
        if r.random() < 0.4:  # apical cap
            seg = _sigmoid((t + r.uniform(0.15, 0.25) * (b - t) - cv.Y) / 0.01)
        else:  # along the lateral chest wall
            y0 = t + r.uniform(0.15, 0.55) * (b - t)
            y1 = y0 + r.uniform(0.2, 0.35) * (b - t)
            lateral = (cv.X < 0.5 * (l + rgt)) if s == 0 else (cv.X > 0.5 * (l + rgt))
            seg = _sigmoid((cv.Y - y0) / 0.01) * _sigmoid((y1 - cv.Y) / 0.01) * lateral
        layer = cv.blur(rim * seg, 0.5 * cv.px)
        self.mu += 0.75 * layer
        self.record("Pleural_Thickening", layer, thr=0.4, relative=False)

    def _hernia(self):
        cv, r = self.cv, self.rng
        rad = r.uniform(0.05, 0.075)
        y = self.heart_bottom - rad * r.uniform(1.1, 1.5)
        x = self.mid + r.uniform(-0.005, 0.04)
        sac = cv.disk(y, x, rad, edge=0.1)
        level = y + r.uniform(-0.25, 0.2) * rad
        gas = cv.disk(y, x, rad * 0.85, edge=0.1) * _sigmoid((level - cv.Y) / 0.004)
        self.mu += 0.15 * sac - 0.85 * gas
        self.record("Hernia", sac, relative=False)

    # ------------------------------------------------------------------ film
    def film(self):
        cv, r = self.cv, self.frng
        vessels = _vessel_tree(cv, r, self.hila, self.lung, 0.5)
        mu = self.mu_anatomy + self.mu
        base_tissue = 1 - 0.18 * np.clip((cv.Y - self.top) / self.h, 0, 1)  # more overlying tissue lower down
        mu = (
            mu
            - (0.62 + self.extra_air) * base_tissue * self.lung * (1 - 0.7 * self.heart)
            + vessels * np.clip(self.markings_gain, 0, 2)
        )
        mu = mu + 0.09 * self.ribs() * self.body
        k = r.uniform(0.9, 1.1)
        img = 1 - np.exp(-k * np.clip(mu, 0, None))
        # exposure gradient, processing (unsharp mask), film/quantum noise
        img = img * (1 + r.normal(0, 0.04) * (cv.X - 0.5) + r.normal(0, 0.04) * (cv.Y - 0.5))
        img = img + 0.4 * (img - cv.blur(img, 0.03))
        lo, hi = r.uniform(0.0, 0.08), r.uniform(0.82, 0.95)
        img = (img - lo) / (hi - lo)
        img = np.clip(img, 0, 1) ** r.uniform(0.9, 1.15)
        noise = ndimage.gaussian_filter(r.standard_normal(img.shape).astype(np.float32), 0.5 * cv.res / 128)
        img = img + r.uniform(0.012, 0.025) * noise / (noise.std() + 1e-6)
        return np.clip(img, 0, 1).astype(np.float32)


def render_cxr(row, image_id: str | None = None, size: int = 128, seed: int = 0, as_float: bool = False):
    """Draw one phantom frontal chest radiograph for one label row.

    Parameters
    ----------
    row : mapping (dict or pandas Series) with the 14 finding columns (0/1); ``PatientId``, ``Sex`` and ``View`` are
        used when present. ``Image`` is used as the image id when ``image_id`` is not given.
    size : side of the square output in pixels.
    seed : global seed; the picture is a deterministic function of (row, image id, size, seed).
    as_float : return float32 in [0, 1] instead of uint8.

    Returns
    -------
    (image, boxes, info): image (size, size); boxes a list of dicts {Finding, x, y, w, h} in output pixels (one or
    more per present finding, none for absent ones); info a dict (cardiothoracic ratio ``ctr``, lung ``mask_index``).
    """
    row = dict(row)
    image_id = str(image_id if image_id is not None else row.get("Image", "phantom"))
    size = int(size)
    if size < 16:
        raise ValueError(f"size must be at least 16 pixels (got {size}).")
    res = max(size, MIN_WORK)
    scene = _Scene(row, image_id, res, seed)
    scene.add_findings()
    img = scene.film()
    if res != size:
        from skimage.transform import resize

        img = resize(img, (size, size), order=1, anti_aliasing=True, preserve_range=True).astype(np.float32)
    boxes = []
    for finding, (x, y, w, h) in scene.boxes:
        x0, y0 = max(0.0, x) * size, max(0.0, y) * size
        x1, y1 = min(1.0, x + w) * size, min(1.0, y + h) * size
        boxes.append(
            {
                "Finding": finding,
                "x": round(x0, 1),
                "y": round(y0, 1),
                "w": round(max(x1 - x0, 1.0), 1),
                "h": round(max(y1 - y0, 1.0), 1),
            }
        )
    info = {"ctr": round(float(scene.ctr), 3), "mask_index": scene.mask_index}
    if not as_float:
        img = np.round(img * 255).astype(np.uint8)
    return img, boxes, info


def render_lung_mask(row, image_id: str | None = None, size: int = 128, seed: int = 0) -> tuple[np.ndarray, int]:
    """The lungs of the phantom that :func:`render_cxr` draws for the same arguments, without drawing the picture.

    Returns
    -------
    (mask, mask_index): mask (size, size) bool, True inside either lung (behind the heart included), resampled
    like the picture; mask_index the real lung mask used (as in ``phantom_info.csv``).
    """
    row = dict(row)
    image_id = str(image_id if image_id is not None else row.get("Image", "phantom"))
    res = max(int(size), MIN_WORK)
    scene = _Scene(row, image_id, res, seed)  # the anatomy only: the same random draws as render_cxr
    lung = scene.lung
    if res != size:
        from skimage.transform import resize

        lung = resize(lung, (size, size), order=1, anti_aliasing=True, preserve_range=True)
    return lung > 0.5, scene.mask_index
