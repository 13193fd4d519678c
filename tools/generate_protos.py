#!/usr/bin/env python3
"""Generates proto/aws/<service>/v1/<service>.proto from AWS service models.

    tools/generate_protos.py                      # regenerate the committed protos
    tools/generate_protos.py --check              # fail if regenerating changes anything
    tools/generate_protos.py --models /usr/lib/python3/dist-packages/botocore/data

The models directory holds botocore-format `<service>/<version>/service-2.json`
(default: ../shared/models beside the repository). Field numbers are read from
and written back to the lock next to each proto, so they never change.
"""

import argparse
import difflib
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from protogen import emit, models, naming, schema  # noqa: E402
from protogen.field_numbers import Lock  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_MODELS = os.path.join(os.path.dirname(REPO), "shared", "models")


def generate_service(models_dir, service, out_dir, lock_dir):
    """Writes the proto and lock of one service under out_dir; returns their paths."""
    model_path = models.find_model(models_dir, service)
    model = models.load(model_path)
    rel_dir = os.path.join("aws", service, "v1")
    proto_rel = os.path.join(rel_dir, f"{service}.proto")
    lock_rel = os.path.join(rel_dir, f"{service}.lock.json")
    lock = Lock.load(os.path.join(lock_dir, lock_rel))
    version = os.path.basename(os.path.dirname(model_path))
    builder = schema.SchemaBuilder(model, service, naming.package_name(service), proto_rel, lock,
                                   source=f"AWS model {service} {version} (service-2.json)")
    proto_file = builder.build()
    text = emit.render(proto_file, lock_name=os.path.basename(lock_rel))
    os.makedirs(os.path.join(out_dir, rel_dir), exist_ok=True)
    written = []
    for rel, content in ((proto_rel, text), (lock_rel, lock.dumps())):
        with open(os.path.join(out_dir, rel), "w", encoding="utf-8") as f:
            f.write(content)
        written.append(rel)
    return written, len(proto_file.rpcs)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", default=DEFAULT_MODELS,
                        help="models directory (<service>/<version>/service-2.json)")
    parser.add_argument("--out", default=os.path.join(REPO, "proto"),
                        help="proto root to write aws/<service>/v1/ under")
    parser.add_argument("--lock-dir", default=None,
                        help="proto root to read field-number locks from (default: --out)")
    parser.add_argument("--services", default=",".join(models.SERVICES))
    parser.add_argument("--check", action="store_true",
                        help="generate into a temporary folder and fail on any difference "
                             "from --out")
    args = parser.parse_args(argv)
    services = [s for s in args.services.split(",") if s]
    if not os.path.isdir(args.models):
        print(f"generate_protos: models directory not found: {args.models}", file=sys.stderr)
        return 2

    lock_dir = args.lock_dir or args.out
    target = tempfile.mkdtemp(prefix="protogen-") if args.check else args.out
    total, changed = 0, []
    for service in services:
        try:
            written, rpcs = generate_service(args.models, service, target, lock_dir)
        except (schema.GenerationError, FileNotFoundError) as e:
            print(f"generate_protos: {service}: {e}", file=sys.stderr)
            return 1
        total += rpcs
        print(f"{service}: {rpcs} operations")
        if args.check:
            changed += _diff(args.out, target, written)
    print(f"total: {total} operations")
    if changed:
        sys.stdout.writelines(changed[:200])
        print("generate_protos: the committed protos differ from a fresh generation; "
              "run tools/generate_protos.py and commit the result", file=sys.stderr)
        return 1
    return 0


def _diff(committed_root, fresh_root, rels):
    out = []
    for rel in rels:
        try:
            with open(os.path.join(committed_root, rel), encoding="utf-8") as f:
                old = f.readlines()
        except FileNotFoundError:
            old = []
        with open(os.path.join(fresh_root, rel), encoding="utf-8") as f:
            new = f.readlines()
        out.extend(difflib.unified_diff(old, new, f"committed/{rel}", f"generated/{rel}"))
    return out


if __name__ == "__main__":
    sys.exit(main())
