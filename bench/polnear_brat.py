"""PolNeAR's own brat files imported, and scored against the converted gold (../shared/data/polnear-dev.jsonl).

    python bench/polnear_brat.py POLNEAR/data/dev     # a checkout of networkdynamics/PolNeAR (not shipped)
    python bench/polnear_brat.py FOLDER               # or a brat folder of <name>.txt and <name>.ann

PolNeAR keeps texts in ``text/<name>.txt`` and each annotator's file in
``attributions/<name>_<annotator>.ann``; each article is paired with its lexicographically first
annotator's file, as the converted gold was made (../shared/data/README.md). The folder is imported
(``import --as brat``), exported and scored with ``annotator evaluate`` against the gold's documents
of the same names. The score is below 1 by the conventions of the conversion: the gold splits a
quotation interrupted by its attribution into two quotes, the brat import reads a discontinuous span
from its first to its last fragment. Prints the import's summary (a quote linked to several cues or speakers counts as
skipped there), the kinds of the reports it lists, and the headline figures, and
ends with ``polnear_brat_attribution_f1: <value>``.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT.parent / "shared" / "data" / "polnear-dev.jsonl"


def brat_folder(source: Path, into: Path) -> Path:
    """``source`` itself when it is a brat folder, else PolNeAR's layout paired into ``into``."""
    if not (source / "text").is_dir():
        return source
    anns: dict[str, Path] = {}
    for ann in sorted((source / "attributions").glob("*.ann")):
        anns.setdefault(ann.stem.rsplit("_", 1)[0], ann)  # sorted: the first annotator wins
    for name, ann in anns.items():
        shutil.copy(source / "text" / f"{name}.txt", into / f"{name}.txt")
        shutil.copy(ann, into / f"{name}.ann")
    return into


def annotator(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "annotator", *args], capture_output=True, text=True, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        (tmp_path / "brat").mkdir()
        folder = brat_folder(args.source, tmp_path / "brat")
        names = {p.stem for p in folder.glob("*.ann")}
        gold = tmp_path / "gold.jsonl"
        with GOLD.open(encoding="utf-8") as lines, gold.open("w", encoding="utf-8") as out:
            out.writelines(line for line in lines if json.loads(line)["id"] in names)
        db, pred = str(tmp_path / "b.db"), str(tmp_path / "pred.jsonl")
        imported = annotator("--db", db, "import", "--as", "brat", "--no-predict", str(folder))
        reports = Counter(re.sub(r"^.*: T\d+ \(line \d+\) has \d+ (\w+).*$", r"has several \1", line.strip())
                          for line in imported.stderr.splitlines() if line.startswith("  skipped"))
        annotator("--db", db, "--annotator", "brat", "export", "--all", pred)
        scores = json.loads(annotator("--db", db, "evaluate", "--gold", str(gold), "--pred", pred, "--json").stdout)
    overall = scores["overall"]
    print(f"documents: {len(names)}; import: {imported.stderr.splitlines()[0]}")
    print(f"kinds of the import's reports listed (at most 20): {dict(reports) or 'none'}")
    quotes = overall["quotes"]
    print(f"quotes lenient F1 {quotes['lenient']['f1']:.3f}, exact F1 {quotes['exact']['f1']:.3f}, "
          f"speaker accuracy {overall['speaker_accuracy']:.3f}")
    print(f"polnear_brat_attribution_f1: {overall['attribution']['f1']:.3f}")


if __name__ == "__main__":
    main()
