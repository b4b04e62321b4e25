#!/usr/bin/env python3
"""Classify the failures of the examples conformance test against SailPoint's upstream specs.

The generated client's conformance test (`tests/conformance.rs`, run with
CONFORMANCE_REPORT_ONLY=1) decodes every JSON example of a request body or a 2xx response
body into its generated Rust type, encodes it again, and prints per version

    v3: decoded 215/247 examples
      <operationId> request <exampleName>: <reason>
      <operationId> <status> <exampleName>: <reason>

SailPoint's upstream specs contain many examples that contradict their own schemas
(undeclared properties, missing required fields, wrong types). Such an example is a valid
reason for a conformance failure: a faithful type cannot accept data its schema forbids. A
type of ours that rejects an example the schema accepts is not a valid reason: that is a
generator bug. This script tells the two apart, for every failure line:

1. it finds the example in the upstream spec: version -> `sailpoint-api.<version>.yaml` ->
   the operation with that operationId (path items are `$ref`s to split files, resolved
   relative to the referring file) -> the request body or the response of that status ->
   its first JSON media type (`application/json`, `*+json`, or `*/*`, as the generator
   picks it) -> `example` or `examples[name]` (an Example object, possibly a `$ref` to an
   example file holding `value`, or to a file that is the value itself; an
   `example: {$ref: file}` is inlined, as the generator's loader does);
2. it validates the example against that media type's schema with openapi-schema-validator's
   OAS 3.0 validator, `$ref`s resolved across the split files through `referencing` with
   file URIs (what openapi-spec-validator does). `required` follows OAS 3.0: a readOnly
   property is not required in a request, a writeOnly one not in a response. Formats: the
   OAS 3.0 ones (int32, int64, float, double, byte...) plus date-time (the generator decodes
   it into a date-time type);
3. it validates it again in a strict mode: an object schema that declares `properties` and
   no `additionalProperties` is closed, so an undeclared property is a violation. Closing
   happens once per object, over everything that applies to it: an `allOf` object accepts
   the properties of all its members (and of the object itself), a `oneOf`/`anyOf` branch
   accepts its own plus those of the enclosing object. (Custom `properties`/`allOf`/
   `oneOf`/`anyOf` keywords on top of the OAS 3.0 validator.) Strict-only violations are
   reported as "property not declared by the schema".

A failure is then either explained (`upstream example violates its schema: <path>:
<message>`), or `UNEXPLAINED: example satisfies its schema` (our generator's fault), or not
located (the example was not found in the spec, or its schema did not resolve: an error).
Of an example's violations the one reported is the one at (or inside) the place the decoder
complained about, else around it, else the first, with " (decoding failed elsewhere, at
...)"; plain violations before strict-only ones. Where a oneOf/anyOf matches no branch, the
violations of the closest branch are used (fewest violations near the top of the value).
An example that only breaks the letter of a oneOf by fitting several branches is not
counted as violating its schema: any faithful type can still decode it.

The YAML is read as serde_yaml reads it (YAML 1.2: an unquoted date stays a string, `yes` is
not a boolean), so the values checked are the values the test decoded.

Usage: conformance-report.py [--specs DIR] [REPORT|-]
  REPORT: the conformance test output (default: stdin). DIR: the folder holding
  sailpoint-api.<version>.yaml (default: ../shared/api-specs/idn from the repository root).
Run it with target/validator-venv/bin/python (set up by scripts/validate-specs.sh).
Exit status: 1 if the unexplained failures exceed 1% of all examples, if an example cannot be
located, or if the report is unreadable; else 0.
"""
import argparse
import functools
import os
import re
import sys
import time
import urllib.parse
from pathlib import Path

import yaml
# jsonschema's and openapi-schema-validator's keyword functions are not public API; the
# versions are pinned by scripts/validate-specs.sh.
from jsonschema import FormatChecker
from jsonschema import _keywords as js_keywords
from jsonschema.exceptions import ValidationError
from jsonschema.validators import extend
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from openapi_schema_validator import _keywords as oas_keywords
from referencing import Registry
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT4
from rfc3339_validator import validate_rfc3339

UNEXPLAINED_LIMIT = 0.01  # share of all examples
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
UNDECLARED = "property not declared by the schema"


# ---------------------------------------------------------------- YAML, as the generator reads it

class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML 1.2 core scalars, as serde_yaml reads them: no timestamps (an unquoted
    `2020-01-01T00:00:00Z` stays a string), only true/false booleans (`yes`/`on` are strings),
    no sexagesimal or leading-zero octal numbers. Mapping keys are always strings."""


_Loader.yaml_implicit_resolvers = {}
for _tag, _regex, _first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
              r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+0123456789."),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
):
    _Loader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_regex), list(_first))


def _construct_int(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith(("0o", "0x")):
        return int(text, 0)
    return int(text, 10)


def _key(k):
    if isinstance(k, str):
        return k
    if isinstance(k, bool):
        return "true" if k else "false"
    return "null" if k is None else str(k)


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    return {_key(loader.construct_object(k, deep=True)): loader.construct_object(v, deep=True)
            for k, v in node.value}


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


@functools.lru_cache(maxsize=None)
def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=_Loader)


def file_uri(path):
    return Path(path).as_uri()


def escape(segment):
    return str(segment).replace("~", "~0").replace("/", "~1")


def pointer_get(doc, pointer):
    for part in [p for p in pointer.split("/")][1:] if pointer else []:
        part = urllib.parse.unquote(part).replace("~1", "/").replace("~0", "~")
        doc = doc[int(part)] if isinstance(doc, list) else doc[part]
    return doc


class NotFound(Exception):
    pass


class Loc:
    """A node of a spec file, with the file and the JSON pointer it lives at."""

    def __init__(self, node, file, pointer):
        self.node, self.file, self.pointer = node, file, pointer

    def child(self, key):
        if not isinstance(self.node, dict) or key not in self.node:
            raise NotFound(f"no `{key}` at {self}")
        return Loc(self.node[key], self.file, f"{self.pointer}/{escape(key)}")

    def deref(self):
        """Follow `$ref`s (relative file and/or fragment) to the node they name."""
        loc, seen = self, set()
        while isinstance(loc.node, dict) and isinstance(loc.node.get("$ref"), str):
            ref = loc.node["$ref"]
            file_part, _, frag = ref.partition("#")
            file = (os.path.normpath(os.path.join(os.path.dirname(loc.file), file_part))
                    if file_part else loc.file)
            if (file, frag) in seen:
                raise NotFound(f"`$ref` cycle at {loc}")
            seen.add((file, frag))
            try:
                node = pointer_get(load(file), frag)
            except (OSError, KeyError, IndexError, ValueError, TypeError, yaml.YAMLError) as e:
                raise NotFound(f"`$ref: {ref}` at {loc} does not resolve ({type(e).__name__}: {e})")
            loc = Loc(node, file, frag)
        return loc

    def uri(self):
        return file_uri(self.file) + "#" + urllib.parse.quote(self.pointer, safe="/~")

    def __str__(self):
        return f"{self.file}#{self.pointer}"


# ---------------------------------------------------------------- the conformance output

# libtest's progress dots (`cargo test --quiet`) may precede the summary on its line.
HEADER = re.compile(r"^\.*([A-Za-z0-9_]+): decoded (\d+)/(\d+) examples\s*$")
FAILURE = re.compile(r"^  (\S+) (\S+) (.*)$")


def parse_report(text):
    """{version: (decoded, total, [(operationId, where, 'name: reason')])} ; where is
    'request' or a status."""
    versions, current = {}, None
    for line in text.splitlines():
        m = HEADER.match(line)
        if m:
            current = m.group(1)
            versions[current] = (int(m.group(2)), int(m.group(3)), [])
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


# ---------------------------------------------------------------- locating an example

def is_json(media_type):
    mt = media_type.lower()
    return mt == "application/json" or mt.endswith("+json") or mt == "*/*"


class Spec:
    def __init__(self, specs_dir, version):
        self.root = os.path.join(specs_dir, f"sailpoint-api.{version}.yaml")
        self.ops, self.broken = {}, []
        if not os.path.isfile(self.root):
            raise NotFound(f"root file {self.root} not found")
        root = Loc(load(self.root), self.root, "")
        for path in (root.node.get("paths") or {}):
            try:
                item = root.child("paths").child(path).deref()
            except NotFound as e:
                self.broken.append(str(e))
                continue
            for method in HTTP_METHODS:
                if isinstance(item.node, dict) and method in item.node:
                    op = item.child(method).deref()
                    op_id = op.node.get("operationId") if isinstance(op.node, dict) else None
                    if op_id:
                        self.ops.setdefault(op_id, []).append(op)

    def media(self, op_id, where):
        """The JSON media type of the request body or of the response with that status."""
        ops = self.ops.get(op_id)
        if not ops:
            raise NotFound(f"no operation `{op_id}` in {self.root}"
                           + "".join(f"; unresolved path item: {b}" for b in self.broken))
        if len(ops) > 1:
            raise NotFound(f"operationId `{op_id}` is used by {len(ops)} operations")
        op = ops[0]
        if where == "request":
            body = op.child("requestBody").deref()
        else:
            body = op.child("responses").child(where).deref()
        content = body.child("content")
        for mt in content.node or {}:
            if is_json(mt):
                return content.child(mt)
        raise NotFound(f"no JSON media type at {content}")


def example_value(media, name):
    """The example called `name` of a media type: (value, Loc of the example)."""
    if name == "example" and "example" in media.node:
        ex = media.child("example")
        if isinstance(ex.node, dict) and set(ex.node) == {"$ref"}:
            ex = ex.deref()  # `example: {$ref: file}`: the generator inlines the file
        return ex.node, ex
    examples = media.node.get("examples") or {}
    if name not in examples:
        raise NotFound(f"no example `{name}` at {media} (has: "
                       + (", ".join(sorted(map(str, examples))) or "none") + ")")
    ex = media.child("examples").child(name).deref()
    if isinstance(ex.node, dict) and "value" in ex.node:
        return ex.node["value"], ex.child("value")
    if isinstance(ex.node, dict) and "externalValue" in ex.node:
        raise NotFound(f"example `{name}` at {ex} only has an externalValue")
    return ex.node, ex  # a referenced file that is the value itself


# ---------------------------------------------------------------- validation

def _date_time(value):
    return not isinstance(value, str) or validate_rfc3339(value)


FORMATS = FormatChecker(formats=())
FORMATS.checkers.update(oas30_format_checker.checkers)
FORMATS.checks("date-time")(_date_time)


@functools.lru_cache(maxsize=None)
def _resource(uri):
    path = urllib.parse.unquote(urllib.parse.urlsplit(uri).path)
    return DRAFT4.create_resource(load(path))


def _retrieve(uri):
    if not uri.startswith("file:"):
        raise Unresolvable(ref=uri)
    return _resource(uri)


REGISTRY = Registry(retrieve=_retrieve)

ResponseValidator = extend(OAS30Validator, {"required": oas_keywords.read_required})
RequestValidator = extend(OAS30Validator, {"required": oas_keywords.write_required})

# Strict mode. Markers on the copies of schemas we descend into through allOf/oneOf/anyOf:
MEMBER = "x-conformance-allof-member"     # an allOf member: its object is closed by the parent
INHERIT = "x-conformance-inherited"       # property names the enclosing object declares


def _follow(resolver, schema):
    """Follow a schema's `$ref` chain: (schema, resolver at its file, sibling keywords)."""
    siblings = {}
    seen = set()
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        siblings.update((k, v) for k, v in schema.items() if k != "$ref" and k not in siblings)
        key = (resolver._base_uri, schema["$ref"])
        if key in seen:
            break
        seen.add(key)
        resolved = resolver.lookup(schema["$ref"])
        schema, resolver = resolved.contents, resolved.resolver
    return schema, resolver, siblings


def declared(resolver, schema, _seen=None):
    """(property names an object schema declares, whether it accepts other properties):
    its own, those of its allOf members, and those of its oneOf/anyOf branches."""
    schema, resolver, siblings = _follow(resolver, schema)
    if not isinstance(schema, dict):
        return set(), True
    _seen = _seen or set()
    if id(schema) in _seen:
        return set(), False
    _seen = _seen | {id(schema)}
    names = set(schema.get("properties") or {}) | set(siblings.get("properties") or {})
    ap = schema.get("additionalProperties", siblings.get("additionalProperties"))
    open_ = ap is not None and ap is not False
    for key in ("allOf", "oneOf", "anyOf"):
        for sub in schema.get(key) or ():
            n, o = declared(resolver, sub, _seen)
            names |= n
            open_ = open_ or o
    return names, open_


def _own_and_members(validator, schema):
    names = set(schema.get("properties") or {}) | set(schema.get(INHERIT) or ())
    for sub in schema.get("allOf") or ():
        names |= declared(validator._resolver, sub)[0]
    return names


def _descend_marked(validator, instance, sub, index, member, inherit):
    """Descend into a subschema through a marked copy of it (its `$ref`s followed)."""
    target, resolver, siblings = _follow(validator._resolver, sub)
    if not isinstance(target, dict):
        yield from validator.descend(instance, sub, schema_path=index)
        return
    copy = dict(target)
    copy[MEMBER] = member
    copy[INHERIT] = sorted(inherit)
    yield from validator.descend(instance, copy, schema_path=index, resolver=resolver)
    if siblings:
        yield from validator.descend(instance, dict(siblings, **{MEMBER: True}), schema_path=index)


def _closure(validator, instance, schema):
    """Undeclared properties of an object schema (once per object, at its outermost schema)."""
    if not validator.is_type(instance, "object") or schema.get(MEMBER):
        return
    if "additionalProperties" in schema:
        return  # open, or closed by the plain validator already
    names, open_ = declared(validator._resolver, schema)
    if open_ or not names:
        return  # a free-form object, or one that allows more properties
    names |= set(schema.get(INHERIT) or ())
    for key in instance:
        if key not in names:
            yield ValidationError(UNDECLARED, validator="undeclared", path=[key])


def strict_properties(validator, properties, instance, schema):
    yield from js_keywords.properties(validator, properties, instance, schema)
    yield from _closure(validator, instance, schema)


def strict_allOf(validator, all_of, instance, schema):
    if "discriminator" in schema:
        yield from oas_keywords.allOf(validator, all_of, instance, schema)
    else:
        own = set(schema.get("properties") or {}) | set(schema.get(INHERIT) or ())
        member_names = [declared(validator._resolver, sub)[0] for sub in all_of]
        for i, sub in enumerate(all_of):
            inherit = own.union(*[n for j, n in enumerate(member_names) if j != i])
            yield from _descend_marked(validator, instance, sub, i, True, inherit)
    if "properties" not in schema:
        yield from _closure(validator, instance, schema)


def _strict_choice(keyword):
    oas = oas_keywords.oneOf if keyword == "oneOf" else oas_keywords.anyOf

    def check(validator, branches, instance, schema):
        inherit = _own_and_members(validator, schema)
        if "discriminator" in schema:
            # as openapi-schema-validator: the branch the discriminator names must match
            prop = schema["discriminator"].get("propertyName")
            value = instance.get(prop) if isinstance(instance, dict) else None
            ref = (schema["discriminator"].get("mapping") or {}).get(value) \
                or f"#/components/schemas/{value}"
            if not value or not isinstance(ref, str):
                yield from oas(validator, branches, instance, schema)
                return
            try:
                errors = list(_descend_marked(validator, instance, {"$ref": ref}, 0, False, inherit))
            except Unresolvable:
                errors = [ValidationError(f"discriminator reference {ref!r} could not be resolved")]
            yield from errors
            return
        errors = []
        for i, sub in enumerate(branches):
            errs = list(_descend_marked(validator, instance, sub, i, False, inherit))
            if not errs:
                return  # (the plain run already checked that at most one oneOf branch matches)
            errors.extend(errs)
        yield ValidationError(f"{_short(instance)} is not valid under any of the given schemas",
                              context=errors)

    return check


STRICT_KEYWORDS = {
    "properties": strict_properties,
    "allOf": strict_allOf,
    "oneOf": _strict_choice("oneOf"),
    "anyOf": _strict_choice("anyOf"),
}
StrictResponseValidator = extend(ResponseValidator, STRICT_KEYWORDS)
StrictRequestValidator = extend(RequestValidator, STRICT_KEYWORDS)


def _short(value, limit=80):
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def json_path(error):
    out = "$"
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def leaves(error, strict_only=False):
    """The innermost errors under an error. Where a oneOf/anyOf matched no branch, those of
    the closest branch: the one with the fewest errors near the top of the value, then
    deeper (with strict_only, among the branches that only fail on undeclared properties, if
    any: the ones the plain run accepted)."""
    if not error.context:
        return [error]
    by_branch = {}
    for e in error.context:
        branch = e.relative_schema_path[0] if e.relative_schema_path else 0
        by_branch.setdefault(branch, []).extend(leaves(e, strict_only))
    branches = sorted(by_branch.items(), key=lambda kv: (str(type(kv[0])), kv[0]))
    if strict_only:
        undeclared = [kv for kv in branches if all(x.validator == "undeclared" for x in kv[1])]
        branches = undeclared or branches
    depth = 1 + max(len(x.absolute_path) for kv in branches for x in kv[1])

    def distance(kv):
        counts = [0] * depth
        for x in kv[1]:
            counts[len(x.absolute_path)] += 1
        return counts

    return min(branches, key=distance)[1]


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


def ambiguous(error):
    """A oneOf (without discriminator) that more than one branch accepts."""
    return error.validator == "oneOf" and " is valid under each of " in error.message


def candidates(errors, strict):
    """The innermost violations under a validator's errors, in order; in strict mode only
    the undeclared properties. An example that fits several oneOf branches is left out: it
    breaks the letter of oneOf, but any faithful type can still decode it."""
    out = [leaf for error in errors for leaf in leaves(error, strict)]
    if strict:
        return [e for e in out if e.validator == "undeclared"]
    return [e for e in out if not ambiguous(e)]


def message(error):
    if error.validator == "undeclared":
        return UNDECLARED
    text = error.message
    whole = repr(error.instance)
    if len(whole) > 80 and text.startswith(whole):
        text = _short(error.instance) + text[len(whole):]
    return text if len(text) <= 200 else text[:197] + "..."


def validate(validator_class, schema_uri, value):
    validator = validator_class({"$ref": schema_uri}, registry=REGISTRY, format_checker=FORMATS)
    return list(validator.iter_errors(value))


def classify(spec, op_id, where, rest):
    """(class, text, name) for one failure line; class is 'explained', 'unexplained' or
    'missing'."""
    # The example name may itself contain ': ': take the first split that names an example.
    splits = [i for i in range(len(rest)) if rest.startswith(": ", i)]
    if not splits:
        return "missing", f"cannot parse the failure line: {rest!r}", rest
    try:
        media = spec.media(op_id, where)
    except NotFound as e:
        name, _, _ = rest.partition(": ")
        return "missing", f"cannot locate the example: {e}", name
    located = first_error = None
    for i in splits:
        name, reason = rest[:i], rest[i + 2:]
        try:
            located = example_value(media, name)
            break
        except NotFound as e:
            first_error = first_error or e
    if located is None:
        name, reason = rest[:splits[0]], rest[splits[0] + 2:]
        return "missing", f"cannot locate the example: {first_error}", name
    value, _ = located
    near = decoder_path(reason)
    schema = media.child("schema") if "schema" in media.node else None
    if schema is None:
        return "missing", f"cannot validate: no schema at {media}", name
    plain, strict = ((RequestValidator, StrictRequestValidator) if where == "request"
                     else (ResponseValidator, StrictResponseValidator))
    try:
        plain_errors = validate(plain, schema.uri(), value)
        strict_errors = validate(strict, schema.uri(), value)
    except (Unresolvable, NotFound, yaml.YAMLError, OSError) as e:
        return "missing", f"cannot resolve the schema at {schema}: {type(e).__name__}: {e}", name
    found = (candidates(plain_errors, False), candidates(strict_errors, True))
    if not any(found):
        note = ""
        if any(ambiguous(e) for error in plain_errors for e in leaves(error)):
            note = " (it only matches more than one branch of a oneOf without discriminator)"
        return "unexplained", "UNEXPLAINED: example satisfies its schema" + note, name
    # The violation that best explains the decoder's complaint: one where decoding failed
    # before one around it before one elsewhere; at equal distance a plain one before a
    # strict-only one, then the validator's order.
    ranked = [(-nearness(json_path(e), near), rank, i, e)
              for rank, errs in enumerate(found) for i, e in enumerate(errs)]
    score, _, _, best = min(ranked, key=lambda r: r[:3])
    text = f"upstream example violates its schema: {json_path(best)}: {message(best)}"
    if score == 0:
        text += f" (decoding failed elsewhere, at {near})"
    return "explained", text, name


# ---------------------------------------------------------------- main

def default_specs_dir():
    return str(Path(__file__).resolve().parent.parent.parent / "shared" / "api-specs" / "idn")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("report", nargs="?", default="-", help="conformance output (default: stdin)")
    parser.add_argument("--specs", default=default_specs_dir(),
                        help="folder of sailpoint-api.<version>.yaml (default: %(default)s)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    if args.report == "-":
        text = sys.stdin.read()
    else:
        with open(args.report, encoding="utf-8", errors="replace") as f:
            text = f.read()
    versions = parse_report(text)
    if not versions:
        print("conformance-report: no `<version>: decoded N/M examples` line in the input", file=sys.stderr)
        return 1

    total = decoded = explained = unexplained = missing = 0
    summaries, details = [], []
    for version in sorted(versions):
        ok, count, failures = versions[version]
        total += count
        decoded += ok
        rows = []
        try:
            spec = Spec(args.specs, version)
        except Exception as e:  # NotFound, or an unreadable file
            spec, spec_error = None, e
        for op_id, where, rest in failures:
            if spec is None:
                rows.append(("missing", op_id, where, rest.partition(": ")[0],
                             f"cannot locate the example: {spec_error}"))
                continue
            try:
                cls, note, name = classify(spec, op_id, where, rest)
            except Exception as e:  # report it, and go on with the other failures
                cls, name = "missing", rest.partition(": ")[0]
                note = f"cannot check the example: {type(e).__name__}: {e}"
            rows.append((cls, op_id, where, name, note))
        unaccounted = count - ok - len(failures)
        n = {c: sum(1 for r in rows if r[0] == c) for c in ("explained", "unexplained", "missing")}
        explained += n["explained"]
        unexplained += n["unexplained"]
        missing += n["missing"] + max(unaccounted, 0)
        line = (f"{version}: {ok}/{count} decoded; {n['explained']} failures are examples that "
                f"violate their own schema; {n['unexplained']} unexplained")
        if n["missing"]:
            line += f"; {n['missing']} not located"
        if unaccounted:
            line += f"; {unaccounted} failures missing from the report (expected {count - ok} lines)"
        summaries.append(line)
        order = {"missing": 0, "unexplained": 1, "explained": 2}
        details.append(f"{version}:")
        for cls, op_id, where, name, note in sorted(rows, key=lambda r: (order[r[0]], r[1], r[2], r[3])):
            label = f"request {name}" if where == "request" else f"{where} {name}"
            details.append(f"  {op_id} {label}: {note}")

    for line in summaries:
        print(line)
    print()
    for line in details:
        print(line)
    print()
    share = (decoded + explained) / total if total else 1.0
    unexplained_share = unexplained / total if total else 0.0
    print(f"total: {decoded} decoded + {explained} explained = {decoded + explained}/{total} "
          f"examples ({share:.1%}); {unexplained} unexplained ({unexplained_share:.2%} of all "
          f"examples, limit {UNEXPLAINED_LIMIT:.0%})" + (f"; {missing} not located" if missing else ""))
    print(f"conformance-report: done in {time.monotonic() - started:.1f}s", file=sys.stderr)
    if missing:
        print("conformance-report: FAILED: some failing examples could not be located", file=sys.stderr)
        return 1
    if unexplained_share > UNEXPLAINED_LIMIT:
        print("conformance-report: FAILED: too many failures not explained by the upstream examples",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
