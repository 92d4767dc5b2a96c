"""Check: the built-in attributor's predictions, fingerprinted, to prove a refactoring changed none of them.

Predicts every document of the development sets present (``../shared/data/*.jsonl``, the seed
articles' gold file, and the seed ``.txt`` files) with both scopes, and hashes each document's
predictions as the interchange format writes them (docs/format.md), speakers, cues, roles and via
included. ``--save FILE`` writes the per-document hashes; ``--against FILE`` compares with a saved
run and lists the documents whose predictions differ (exit status 1 when any does). Ends with
``predictions_sha256: <hex>``, one hash over everything.

Usage: python bench/predictions.py [--save FILE | --against FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.attribution import SCOPES, RuleAttributor
from annotator.formats.read import read_paths
from annotator.model import Document, quote_json

SHARED = ROOT.parent / "shared" / "data"


def documents() -> Iterator[tuple[str, Document]]:
    """(set name, document) for every development set present, in a fixed order."""
    sources = [*sorted(SHARED.glob("*.jsonl")), ROOT / "data" / "seeds.gold.jsonl", ROOT / "seeds"]
    for source in sources:
        if not source.exists():
            print(f"{source}: absent, skipped", file=sys.stderr)
            continue
        for _, item in read_paths([source]):
            yield source.name, item.document


def fingerprints() -> dict[str, str]:
    """The SHA-256 of each document's predictions, by ``set/scope/document id``."""
    attributors = {scope: RuleAttributor(scope=scope) for scope in SCOPES}
    found = {}
    for name, doc in documents():
        for scope, attributor in attributors.items():
            quotes = [quote_json(q) for q in attributor.attribute(doc)]
            text = json.dumps(quotes, ensure_ascii=False, sort_keys=True)
            found[f"{name}/{scope}/{doc.id}"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--save", type=Path, metavar="FILE", help="write the per-document hashes to FILE")
    group.add_argument("--against", type=Path, metavar="FILE", help="compare with hashes saved by --save")
    args = parser.parse_args()
    found = fingerprints()
    overall = hashlib.sha256("".join(f"{k}\t{v}\n" for k, v in sorted(found.items())).encode()).hexdigest()
    print(f"{len(found)} predictions (documents × scopes) fingerprinted")
    status = 0
    if args.save:
        args.save.write_text(json.dumps(found, indent=0, sort_keys=True) + "\n", encoding="utf-8")
        print(f"saved to {args.save}")
    if args.against:
        saved = json.loads(args.against.read_text(encoding="utf-8"))
        changed = sorted(k for k in saved.keys() & found.keys() if saved[k] != found[k])
        missing, new = sorted(saved.keys() - found.keys()), sorted(found.keys() - saved.keys())
        for label, keys in (("changed", changed), ("no longer predicted", missing), ("not in the saved run", new)):
            if keys:
                print(f"{label}: {len(keys)} (first: {', '.join(keys[:5])})")
        if changed or missing or new:
            status = 1
        else:
            print(f"identical to {args.against}")
    print(f"predictions_sha256: {overall}")
    return status


if __name__ == "__main__":
    sys.exit(main())
