"""Mention phrases per finding and negation cues for labelling chest X-ray reports (written by this project).

Both lists are deliberately simple, the kind a first rule-based labeller starts from, so that the notebook can show
where such rules fail. Phrases are lower case and matched as substrings of a lower-cased sentence, so a word stem
such as ``"atelecta"`` covers atelectasis, atelectatic and atelectases. Cues are matched as whole words.

The choice of phrases follows the public description of the CheXpert labeller's mention phase (Irvin et al.,
"CheXpert: a large chest radiograph dataset with uncertainty labels and expert comparison", AAAI 2019), written out
anew for the Indiana University reports' wording; the negation cues are common pre-negation triggers of NegEx
(Chapman et al., "A simple algorithm for identifying negated findings and diseases in discharge summaries",
J Biomed Inform 34(5):301-310, 2001).
"""

from __future__ import annotations

__all__ = ["KEYWORDS", "NEGATION_CUES"]

KEYWORDS: dict[str, list[str]] = {
    "Cardiomegaly": [
        "cardiomegaly",
        "enlarged heart",
        "heart is enlarged",
        "heart is mildly enlarged",
        "heart size is enlarged",
        "heart size is mildly enlarged",
        "cardiac enlargement",
        "enlarged cardiac silhouette",
        "cardiac silhouette is enlarged",
        "enlarged cardiomediastinal",
        "cardiomediastinal silhouette is enlarged",
    ],
    "Pleural Effusion": ["pleural effusion", "effusion", "pleural fluid"],
    "Atelectasis": ["atelecta", "collapse"],
    "Opacity": ["opacit", "density", "densities", "infiltrat", "airspace disease", "air space disease"],
    "Edema": ["edema", "vascular congestion", "pulmonary congestion", "interstitial congestion"],
    "Consolidation": ["consolidat"],
    "Pneumonia": ["pneumonia", "pneumonitis", "infectious process"],
    "Pneumothorax": ["pneumothora"],
    "Nodule/Mass": ["nodul", "mass"],
    "Fracture": ["fracture"],
}
"""Label -> lower-case mention phrases (substring match)."""

NEGATION_CUES: list[str] = [
    "no",
    "not",
    "without",
    "negative for",
    "free of",
    "absence of",
    "no evidence of",
    "clear of",
    "resolution of",
    "nor",
    "never",
    "rather than",
]
"""Lower-case words or phrases that negate a finding mentioned shortly after them (whole-word match)."""
