"""C1W3 quiz: NIfTI geometry, BraTS regions, sub-volumes and class balance, standardization, Dice and soft Dice,
voxel sensitivity and specificity."""

from grader.quizzes import Choice, Number

TITLE = "Brain-tumour segmentation on MRI"

WORKSPACE = """
import numpy as np

# The questions use small worked cases: compute them here with NumPy.
"""


def worked_dice() -> float:
    import numpy as np

    truth = np.zeros(1000)
    truth[:100] = 1  # 100 true tumour voxels
    prediction = np.zeros(1000)
    prediction[40:120] = 1  # 80 predicted voxels, 60 of them inside the tumour
    return float(2 * np.sum(truth * prediction) / (truth.sum() + prediction.sum()))


def worked_soft_dice_loss() -> float:
    import numpy as np

    y, p = np.array([1.0, 1.0, 0.0, 0.0]), np.array([0.8, 0.6, 0.2, 0.0])
    return float(1 - 2 * np.sum(y * p) / (np.sum(y**2) + np.sum(p**2)))


def worked_standardized_value() -> float:
    import numpy as np

    values = np.array([2.0, 4.0, 6.0, 8.0])
    return float((8.0 - values.mean()) / values.std())


def worked_world_x() -> float:
    import numpy as np

    affine = np.array([[2.0, 0, 0, -90], [0, 2.0, 0, -126], [0, 0, 2.0, -72], [0, 0, 0, 1]])
    return float((affine @ np.array([10, 20, 30, 1]))[0])


def worked_specificity() -> float:
    tn, fp = 98_700, 300
    return tn / (tn + fp)


QUESTIONS = [
    Number(
        "Dice by hand",
        "The true tumour has 100 voxels; the prediction has 80 voxels, 60 of which lie inside the tumour. What is "
        "the Dice coefficient?",
        0.666667,
        3,
        0.002,
        "Dice = 2|T ∩ P| / (|T| + |P|) = 120 / 180 ≈ 0.667.",
        {
            0.5: "computed the Jaccard index (intersection over union, 60/120)",
            0.6: "gave the sensitivity (60/100)",
            0.75: "gave the precision (60/80)",
        },
        "worked_dice",
    ),
    Number(
        "Soft Dice loss",
        "For one class, the truth is `y = [1, 1, 0, 0]` and the predicted probabilities `p = [0.8, 0.6, 0.2, 0.0]`. "
        "What is the soft Dice loss $1 - \\frac{2\\sum y p}{\\sum y^2 + \\sum p^2}$ (ignore $\\varepsilon$)?",
        0.078947,
        3,
        0.002,
        "Numerator 2 × 1.4 = 2.8; denominator 2 + (0.64 + 0.36 + 0.04) = 3.04; soft Dice 0.921, loss ≈ 0.079.",
        {
            0.921: "gave the soft Dice coefficient instead of the loss",
            0.222: "used sum p instead of sum p² in the denominator",
        },
        "worked_soft_dice_loss",
    ),
    Choice(
        "The BraTS regions of a voxel",
        "A voxel has label 3 (enhancing tumour). To which BraTS regions does it belong? Select every right one.",
        {"A": "Whole tumour.", "B": "Tumour core.", "C": "Enhancing tumour.", "D": "None: label 3 is background."},
        "ABC",
        "The regions are nested: WT = 1 ∪ 2 ∪ 3, TC = 2 ∪ 3, ET = 3. An enhancing voxel counts in all three.",
        {"C": "treats the regions as disjoint labels", "AC": "forgets that the core contains the enhancing part"},
        select_all=True,
    ),
    Choice(
        "Why sub-volumes",
        "Why is the 3-D U-Net trained on sub-volumes (patches) rather than whole scans?",
        {
            "A": "The feature maps of a whole 3-D scan take too much memory for training; patches also let us choose "
            "what the network sees.",
            "B": "A U-Net cannot be applied to a whole volume.",
            "C": "Patches remove the need for labels.",
            "D": "Whole scans contain no tumour.",
        },
        "A",
        "Training memory grows with the volume; patches fit. A fully convolutional network trained on patches is "
        "then applied to whole volumes.",
        {"B": "thinks the trained network is limited to patch size"},
    ),
    Choice(
        "Rejecting background patches",
        "`get_sub_volume` keeps drawing until a patch has less than 95 % background. What problem does that "
        "address, and what is its cost?",
        {
            "A": "Class imbalance: random patches are almost all background. The cost: cases whose tumour is too small "
            "never pass, and a network that always sees tumour tends to over-segment whole volumes.",
            "B": "Memory: background voxels are larger.",
            "C": "It makes training deterministic.",
            "D": "It removes the need for a validation set.",
        },
        "A",
        "The tumour is a few per cent of a brain; rejection raises its share in training. The notebook's training "
        "uses a middle way (half the patches near the tumour, half anywhere in the brain).",
        {"C": "thinks the loop is about reproducibility"},
    ),
    Number(
        "Standardizing a slice",
        "A slice holds the values `[2, 4, 6, 8]`. Standardized with its own mean and standard deviation (NumPy's "
        "default `ddof=0`), what does the value 8 become?",
        1.341641,
        3,
        0.002,
        "Mean 5, standard deviation $\\sqrt{5} \\approx 2.236$; (8 − 5)/2.236 ≈ 1.342.",
        {1.162: "used the sample standard deviation (ddof=1)", 3.0: "did not divide by the standard deviation"},
        "worked_standardized_value",
    ),
    Number(
        "From a voxel to millimetres",
        "A NIfTI affine is `[[2, 0, 0, -90], [0, 2, 0, -126], [0, 0, 2, -72], [0, 0, 0, 1]]`. What is the first "
        "world coordinate (x, in mm) of voxel $(i, j, k) = (10, 20, 30)$?",
        -70.0,
        1,
        0.05,
        "$x = 2 \\times 10 - 90 = -70$ mm: the diagonal is the voxel size, the last column the position of voxel "
        "(0, 0, 0).",
        {
            -80.0: "forgot the voxel size",
            20.0: "forgot the offset",
            110.0: "subtracted the offset instead of adding it",
        },
        "worked_world_x",
    ),
    Choice(
        "Orientation codes",
        "`nib.aff2axcodes(affine)` returns `('R', 'A', 'S')`. What does it say?",
        {
            "A": "The voxel axes run towards the patient's Right, Anterior and Superior.",
            "B": "The image is stored Row-major, Ascending, Sorted.",
            "C": "The image was acquired in the Radiological, Axial, Sagittal planes.",
            "D": "The voxel size is the same on all axes.",
        },
        "A",
        "Two scans can be compared voxel by voxel only in the same orientation; `load_case` reorients every case "
        "to RAS.",
        {"C": "reads the letters as imaging planes"},
    ),
    Number(
        "Specificity over voxels",
        "A segmentation of a tumour has, over the voxels of a volume, TP = 900, FN = 100, FP = 300, "
        "TN = 98,700. What is its specificity?",
        0.99697,
        4,
        0.0005,
        "98,700 / 99,000 ≈ 0.997. Its Dice is only 2·900/(1000 + 1200) ≈ 0.82: with so many background voxels, "
        "specificity is close to 1 for almost any segmentation, which is why Dice and sensitivity are reported too.",
        {0.9: "gave the sensitivity", 0.818: "gave the Dice coefficient", 0.75: "gave the precision"},
        "worked_specificity",
    ),
    Choice(
        "Why not voxel accuracy",
        "Why is a segmentation judged by Dice rather than by the fraction of correctly labelled voxels?",
        {
            "A": "The tumour is a few per cent of the voxels: predicting 'no tumour' everywhere would already be "
            "about 97 % accurate.",
            "B": "Accuracy cannot be computed in 3-D.",
            "C": "Dice is always higher than accuracy.",
            "D": "Dice needs no ground truth.",
        },
        "A",
        "Dice ignores the true negatives, the huge background, and measures the overlap of the regions themselves.",
        {"C": "thinks Dice is preferred for giving higher numbers"},
    ),
]
