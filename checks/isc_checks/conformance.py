"""Classify the failures of the generated client's examples conformance test.

The conformance test (run with CONFORMANCE_REPORT_ONLY=1) decodes every JSON example of a
request body or a 2xx response body into its generated Rust type, encodes it again, and
prints per version

    v3: decoded 215/247 examples
      <operationId> request <exampleName>: <reason>
      <operationId> <status> <exampleName>: <reason>

(several such outputs may follow one another). Upstream specs hold many examples that
contradict their own schemas; a faithful type cannot accept those, so such a failure is
explained. A type that rejects an example its schema accepts is a generator bug. For each
failure line this finds the example in the bundle (version -> operationId -> request body or
response of that status -> first JSON media type -> `example` or `examples[name]`),
validates it against that media type's schema (`schemas.check`: OAS 3.0, read/write
direction, normal then strict) and reports it as

- explained: `upstream example violates its schema: <path>: <message>`; of the violations,
  the one at (or inside) the place the decoder complained about, else around it, else the
  first (with " (decoding failed elsewhere, at ...)"), plain ones before strict-only ones;
- `UNEXPLAINED: example satisfies its schema`: our generator's fault;
- not located: the example or its schema is not in the bundle (an error).

An example that only breaks the letter of a oneOf by fitting several branches is not
counted as violating its schema: any faithful type can still decode it.

Usage: python -m isc_checks.conformance --bundle BUNDLE.json [REPORT|-]
Exit status 1 if the unexplained failures exceed 1% of all examples, if an example cannot
be located, or if the report is unreadable; else 0.
"""
import argparse
import re
import sys
import time

from referencing.exceptions import Unresolvable

from . import bundle, schemas

UNEXPLAINED_LIMIT = 0.01  # share of all examples
# libtest's progress dots (`cargo test --quiet`) may precede the summary on its line.
HEADER = re.compile(r"^\.*([A-Za-z0-9_]+): decoded (\d+)/(\d+) examples\s*$")
FAILURE = re.compile(r"^  (\S+) (\S+) (.*)$")
ORDER = {"missing": 0, "unexplained": 1, "explained": 2}


# ---------------------------------------------------------------- the conformance output

def parse_report(text):
    """{version: (decoded, total, [(operationId, where, 'name: reason')])}; where is
    'request' or a status. A version met again (several outputs appended) is added up."""
    versions, current = {}, None
    for line in text.splitlines():
        m = HEADER.match(line)
        if m:
            current = m.group(1)
            ok, total, failures = versions.get(current, (0, 0, []))
            versions[current] = (ok + int(m.group(2)), total + int(m.group(3)), failures)
            continue
        m = FAILURE.match(line) if current else None
        if m and not line[2].isspace():
            versions[current][2].append(m.groups())
        else:
            current = None
    return versions


def decoder_path(reason):
    """Where the decoder complained, as `$...`, or None."""
    m = re.match(r"^`(\$[^`]*)` is lost", reason)
    if m:
        return m.group(1)
    m = re.match(r"^does not decode at `([^`]*)`", reason)
    if m:
        p = m.group(1)
        if p in (".", ""):
            return "$"
        return "$" + (p if p.startswith("[") else "." + p)
    return None


# ---------------------------------------------------------------- classifying one failure

def nearness(path, near):
    """2: the violation is where the decoder failed, or inside it; 1: around it (in an
    enclosing value), or the decoder named no place; 0: elsewhere."""
    if near is None:
        return 1
    if path == near or path.startswith((near + ".", near + "[")):
        return 2
    if near.startswith((path + ".", path + "[")):
        return 1
    return 0


def locate(media, rest):
    """(name, reason, value) of a failure line's example. The example name may itself
    contain ': ': the first split that names an example of the media type wins."""
    splits = [i for i in range(len(rest)) if rest.startswith(": ", i)]
    if not splits:
        raise bundle.NotFound(f"cannot parse the failure line: {rest!r}")
    first_error = None
    for i in splits:
        name, reason = rest[:i], rest[i + 2:]
        try:
            return name, reason, bundle.example(media, name)
        except bundle.NotFound as e:
            first_error = first_error or e
    raise first_error


def explain(found, near):
    """The text for an example with violations (plain ones, strict-only ones)."""
    ranked = [(-nearness(schemas.json_path(e), near), rank, i, e)
              for rank, errs in enumerate(found) for i, e in enumerate(errs)]
    score, _, _, best = min(ranked, key=lambda r: r[:3])
    text = f"upstream example violates its schema: {schemas.json_path(best)}: {schemas.message(best)}"
    if score == 0:
        text += f" (decoding failed elsewhere, at {near})"
    return text


def classify(spec, op_id, where, rest):
    """(class, text, name) for one failure line; class is 'explained', 'unexplained' or
    'missing'."""
    name = rest.partition(": ")[0]
    try:
        media = spec.media(op_id, where)
        name, reason, value = locate(media, rest)
    except bundle.NotFound as e:
        return "missing", f"cannot locate the example: {e}", name
    if not media.has("schema"):
        return "missing", f"cannot validate: no schema at {media.at}", name
    direction = schemas.REQUEST if where == "request" else schemas.RESPONSE
    try:
        plain, strict = schemas.check(spec, f"{media.at}/schema", value, direction)
    except Unresolvable as e:
        return "missing", f"cannot resolve the schema at {media.at}/schema: {getattr(e, 'ref', e)!r}", name
    found = (schemas.candidates(plain, False), schemas.candidates(strict, True))
    if any(found):
        return "explained", explain(found, decoder_path(reason)), name
    note = ""
    if any(schemas.ambiguous(e) for error in plain for e in schemas.leaves(error)):
        note = " (it only matches more than one branch of a oneOf without discriminator)"
    return "unexplained", "UNEXPLAINED: example satisfies its schema" + note, name


def classify_version(spec, failures, missing_reason=None):
    """[(class, operationId, where, name, text)] of a version's failure lines."""
    rows = []
    for op_id, where, rest in failures:
        if spec is None:
            rows.append(("missing", op_id, where, rest.partition(": ")[0],
                         f"cannot locate the example: {missing_reason}"))
            continue
        try:
            cls, note, name = classify(spec, op_id, where, rest)
        except Exception as e:  # report it, and go on with the other failures
            cls, name = "missing", rest.partition(": ")[0]
            note = f"cannot check the example: {type(e).__name__}: {e}"[:500]
        rows.append((cls, op_id, where, name, note))
    return rows


# ---------------------------------------------------------------- the report

class Totals:
    def __init__(self):
        self.total = self.decoded = self.explained = self.unexplained = self.missing = 0


def summary_line(version, ok, count, rows, unaccounted):
    n = {c: sum(1 for r in rows if r[0] == c) for c in ORDER}
    line = (f"{version}: {ok}/{count} decoded; {n['explained']} failures are examples that "
            f"violate their own schema; {n['unexplained']} unexplained")
    if n["missing"]:
        line += f"; {n['missing']} not located"
    if unaccounted:
        line += f"; {unaccounted} failures missing from the report (expected {count - ok} lines)"
    return line


def detail_lines(version, rows):
    yield f"{version}:"
    for cls, op_id, where, name, note in sorted(rows, key=lambda r: (ORDER[r[0]], r[1], r[2], r[3])):
        label = f"request {name}" if where == "request" else f"{where} {name}"
        yield f"  {op_id} {label}: {note}"


def report(specs, versions, out):
    """Print the classification; the Totals."""
    totals, summaries, details = Totals(), [], []
    for version in sorted(versions):
        ok, count, failures = versions[version]
        spec = specs.get(version)
        rows = classify_version(spec, failures, f"version {version} is not in the bundle")
        unaccounted = count - ok - len(failures)
        totals.total += count
        totals.decoded += ok
        totals.explained += sum(1 for r in rows if r[0] == "explained")
        totals.unexplained += sum(1 for r in rows if r[0] == "unexplained")
        totals.missing += sum(1 for r in rows if r[0] == "missing") + max(unaccounted, 0)
        summaries.append(summary_line(version, ok, count, rows, unaccounted))
        details.extend(detail_lines(version, rows))
    print("\n".join(summaries + [""] + details + [""]), file=out)
    print(total_line(totals), file=out)
    return totals


def total_line(t):
    share = (t.decoded + t.explained) / t.total if t.total else 1.0
    unexplained_share = t.unexplained / t.total if t.total else 0.0
    return (f"total: {t.decoded} decoded + {t.explained} explained = {t.decoded + t.explained}/"
            f"{t.total} examples ({share:.1%}); {t.unexplained} unexplained "
            f"({unexplained_share:.2%} of all examples, limit {UNEXPLAINED_LIMIT:.0%})"
            + (f"; {t.missing} not located" if t.missing else ""))


def verdict(t):
    """(exit status, failure message or None)."""
    if t.missing:
        return 1, "some failing examples could not be located"
    if t.total and t.unexplained / t.total > UNEXPLAINED_LIMIT:
        return 1, "too many failures not explained by the upstream examples"
    return 0, None


def read_report(path):
    if path == "-":
        return sys.stdin.read()
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("report", nargs="?", default="-", help="conformance output (default: stdin)")
    parser.add_argument("--bundle", required=True,
                        help="the bundle of the specs the test ran on (`cargo xtask bundle`)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        versions = parse_report(read_report(args.report))
    except OSError as e:
        print(f"conformance: cannot read the report: {e}", file=sys.stderr)
        return 1
    if not versions:
        print("conformance: no `<version>: decoded N/M examples` line in the input", file=sys.stderr)
        return 1
    try:
        specs = bundle.load(args.bundle)
    except (OSError, ValueError) as e:
        print(f"conformance: cannot read the bundle: {e}", file=sys.stderr)
        return 1
    totals = report(specs, versions, sys.stdout)
    print(f"conformance: done in {time.monotonic() - started:.1f}s", file=sys.stderr)
    status, failure = verdict(totals)
    if failure:
        print(f"conformance: FAILED: {failure}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
