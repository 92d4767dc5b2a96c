"""Attribute quotes in JSONL files on a Dask cluster: one output file per partition (README "Attributing at scale").

    pip install 'annotator[dask]'
    python examples/dask_attribute.py "articles/*.jsonl" attributed/
    python examples/dask_attribute.py "articles/*.jsonl" attributed/ --scheduler tcp://head:8786

Each input line is a document in the interchange format (docs/format.md); each output line is that
document with the built-in attributor's quotes, as ``annotator attribute`` writes it. A partition is
an input file, or with ``--blocksize 64MB`` a block of whole lines of one; OUT_DIR gets
``part-00000.jsonl``, ``part-00001.jsonl`` … in input order (the files sorted by name), so the parts
put end to end are ``annotator attribute`` of the inputs put end to end.

Without ``--scheduler`` a ``LocalCluster`` of worker processes runs on this machine (``--workers``,
one per core by default). With it, any ``dask.distributed`` scheduler does the work: one that
dask-jobqueue starts on SLURM, PBS or SGE, or dask-kubernetes on Kubernetes; its workers need
``annotator`` installed and must reach the input and output paths (a shared file system, or any
URL fsspec reads: s3://, gcs://, hdfs://).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from contextlib import ExitStack
from typing import Any

import dask.bag
from dask.distributed import Client, LocalCluster
from fsspec.core import get_fs_token_paths

from annotator.attribution import attribute_records
from annotator.model import QUOTE_TYPES, SCOPES


def attribute_partition(lines: Iterable[str], **options: Any) -> list[str]:
    """One partition's JSONL lines (blank ones skipped) attributed: what each Dask task runs. Its output
    file's text as one item, each line ending in a line break and an empty partition empty, so that
    the parts put end to end are the whole output."""
    records = (json.loads(line) for line in lines if line.strip())
    return ["".join(json.dumps(record, ensure_ascii=False) + "\n" for record in attribute_records(records, **options))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pattern", metavar="IN_GLOB", help="the input JSONL files, e.g. 'articles/*.jsonl'")
    parser.add_argument("out_dir", metavar="OUT_DIR", help="the folder the parts are written to")
    parser.add_argument("--scheduler", metavar="ADDRESS", help="a running Dask scheduler, e.g. tcp://head:8786")
    parser.add_argument("--workers", type=int, help="worker processes of the LocalCluster  [default: one per core]")
    parser.add_argument("--blocksize", help="split each file into blocks of about this size, e.g. 64MB")
    parser.add_argument("--lang", help="force this language's lexicon")
    parser.add_argument("--scope", choices=SCOPES, default="all")
    parser.add_argument("--type", dest="types", action="append", default=[], choices=QUOTE_TYPES)
    args = parser.parse_args(argv)

    _, _, paths = get_fs_token_paths(args.pattern)
    if not paths:
        print(f"error: no file matches {args.pattern}", file=sys.stderr)
        return 1
    options = {"language": args.lang, "scope": args.scope, "types": args.types}
    with ExitStack() as stack:
        if args.scheduler:
            address = args.scheduler
        else:
            address = stack.enter_context(LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True))
        stack.enter_context(Client(address))
        lines = dask.bag.read_text(sorted(paths), blocksize=args.blocksize, encoding="utf-8")
        written = lines.map_partitions(attribute_partition, **options).to_textfiles(
            f"{args.out_dir.rstrip('/')}/part-*.jsonl", name_function=lambda i: f"{i:05d}",
            encoding="utf-8",
        )
    print(f"attributed {len(paths)} files into {len(written)} parts in {args.out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
