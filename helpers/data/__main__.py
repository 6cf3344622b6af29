"""Command line for the data generators.

    python -m helpers.data generate cxr   [--n N] [--size S] [--seed K]
    python -m helpers.data generate brain [--n N] [--size S] [--seed K]

Everything is written under the data cache (``AI4MED_DATA``, default ``data/``); nothing is downloaded.
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.data", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="generate a phantom data set into the data cache")
    gen.add_argument("kind", choices=["cxr", "brain"], help="cxr: phantom chest X-rays; brain: MSD-format MRI phantoms")
    gen.add_argument("--n", type=int, default=None, help="number of images (cxr) or cases (brain)")
    gen.add_argument(
        "--size",
        type=float,
        default=None,
        help="image side in pixels (cxr, default 128) or voxel size in mm (brain, default 2.0)",
    )
    gen.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    if args.kind == "cxr":
        from helpers.data import cxr

        out = cxr.generate_from_cli(n=args.n, size=args.size, seed=args.seed)
    else:
        from helpers.data import brain

        out = brain.generate_from_cli(n=args.n, size=args.size, seed=args.seed)
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
