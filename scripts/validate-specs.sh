#!/usr/bin/env bash
# Validate the embedded OpenAPI specs in specs/.
#
# 1. Each root specs/sailpoint-api.*.yaml is checked with openapi-spec-validator, which also
#    resolves and validates every split file reached through relative $refs.
# 2. Every example (request/response bodies, $ref'd example files, parameters, headers) is checked
#    against its schema (OpenAPI 3.0 rules, strict about undeclared properties).
#
# The validator lives in a virtualenv under target/validator-venv, created on first use and reused
# after that. Exits non-zero on any error.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/target/validator-venv"
VALIDATOR_VERSION="0.9.0"
# openapi-spec-validator and its dependencies, pinned to a set known to work together.
PINS=(
  "openapi-spec-validator==$VALIDATOR_VERSION"
  "openapi-schema-validator==0.9.0"
  "jsonschema==4.26.0"
  "jsonschema-path==0.5.0"
  "jsonschema-specifications==2025.9.1"
  "referencing==0.37.0"
  "rpds-py==2026.9.1"
  "attrs==26.1.0"
  "lazy-object-proxy==1.13.0"
  "pathable==0.6.0"
  "PyYAML==6.0.3"
  "rfc3339-validator==0.1.4"
  "six==1.17.0"
  "pydantic==2.14.3"
  "pydantic-core==2.50.4"
  "pydantic-settings==2.16.3"
  "python-dotenv==1.2.4"
  "annotated-types==0.8.0"
  "typing-inspection==0.4.5"
  "typing-extensions==4.16.0"
)

installed_version() {
  "$VENV/bin/python" - <<'PY' 2>/dev/null || true
from importlib.metadata import version
print(version("openapi-spec-validator"))
PY
}

if [ ! -x "$VENV/bin/python" ] || [ "$(installed_version)" != "$VALIDATOR_VERSION" ]; then
  echo "validate-specs: setting up $VENV"
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${PINS[@]}"
fi

shopt -s nullglob
specs=("$ROOT"/specs/sailpoint-api.*.yaml)
if [ ${#specs[@]} -eq 0 ]; then
  echo "validate-specs: no specs/sailpoint-api.*.yaml found" >&2
  exit 1
fi

status=0
echo "validate-specs: openapi-spec-validator $VALIDATOR_VERSION"
for spec in "${specs[@]}"; do
  if ! "$VENV/bin/openapi-spec-validator" "$spec"; then
    status=1
  fi
done

echo "validate-specs: checking examples against their schemas"
if ! "$VENV/bin/python" - "${specs[@]}" <<'PY'
"""Check that every example in the embedded specs conforms to its schema.

- every media-type `example` / `examples` (including $ref'd example files), parameter and header example;
- OpenAPI 3.0 semantics (nullable, enum, required, formats date-time / uuid / int32 / int64);
- strict: an object may only carry properties its schema declares, unless the schema allows
  additional properties or declares none (free-form object);
- oneOf with a discriminator: the branch named by the discriminator must match; search documents
  (no discriminator upstream) are matched on their `_type`.
Usage: python - ROOT.yaml...   exit 1 on any problem.
"""
import copy, datetime, os, re, sys
import yaml
from jsonschema import FormatChecker
from openapi_schema_validator import OAS30Validator

_cache = {}


def load(path):
    path = os.path.normpath(path)
    if path not in _cache:
        with open(path) as f:
            _cache[path] = yaml.safe_load(f)
    return _cache[path]


def pointer(doc, frag):
    for part in [p for p in frag.split('/') if p]:
        doc = doc[part.replace('~1', '/').replace('~0', '~')]
    return doc


def deref(node, base):
    """Follow a $ref (file and/or fragment); return (target, base of the target)."""
    while isinstance(node, dict) and '$ref' in node:
        ref = node['$ref']
        file, _, frag = ref.partition('#')
        path = os.path.normpath(os.path.join(os.path.dirname(base), file)) if file else base
        node, base = pointer(load(path), frag), path
    return node, base


def resolve(node, base, stack=()):
    """Inline every $ref of a schema. Keeps the referenced file name under x-ref."""
    if isinstance(node, dict) and '$ref' in node:
        ref = node['$ref']
        target, tbase = deref(node, base)
        key = (tbase, ref.partition('#')[2])
        if key in stack:
            return {}
        out = resolve(target, tbase, stack + (key,))
        if isinstance(out, dict):
            out = dict(out)
            out.setdefault('x-ref', os.path.basename(tbase)[:-5])
        return out
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == 'discriminator' and isinstance(v, dict):
                m = {}
                for name, r in (v.get('mapping') or {}).items():
                    p = os.path.normpath(os.path.join(os.path.dirname(base), r.partition('#')[0]))
                    m[name] = os.path.basename(p)[:-5]
                out[k] = dict(v, mapping=m)
            elif k == 'properties':
                out[k] = {pk: resolve(pv, base, stack) for pk, pv in v.items()}
            else:
                out[k] = resolve(v, base, stack)
        return out
    if isinstance(node, list):
        return [resolve(x, base, stack) for x in node]
    return node


def loosen(s):
    """oneOf -> anyOf (branch choice is checked separately), drop our x-ref markers."""
    if isinstance(s, dict):
        out = {}
        for k, v in s.items():
            if k in ('x-ref', 'discriminator'):
                continue
            if k == 'properties':
                out[k] = {pk: loosen(pv) for pk, pv in v.items()}
            elif k == 'oneOf':
                out['anyOf'] = loosen(v)
            else:
                out[k] = loosen(v)
        return out
    if isinstance(s, list):
        return [loosen(x) for x in s]
    return s


RFC3339 = re.compile(r'^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$')
UUID = re.compile(r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')
fc = FormatChecker()


@fc.checks('date-time', raises=ValueError)
def _dt(v):
    if not isinstance(v, str):
        return True
    if not RFC3339.match(v):
        return False
    datetime.datetime.fromisoformat(v.replace('Z', '+00:00').replace('z', '+00:00'))
    return True


@fc.checks('uuid')
def _uuid(v):
    return not isinstance(v, str) or bool(UUID.match(v))


@fc.checks('int32')
def _i32(v):
    return not isinstance(v, int) or -2**31 <= v < 2**31


@fc.checks('int64')
def _i64(v):
    return not isinstance(v, int) or -2**63 <= v < 2**63


def valid(schema, inst):
    return not list(OAS30Validator(loosen(schema), format_checker=fc).iter_errors(inst))


def errors(schema, inst):
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
            for e in OAS30Validator(loosen(schema), format_checker=fc).iter_errors(inst)]


def alternatives(schema, inst):
    """Ways the schema can apply to inst: each is a flat list of schemas (the schema, its allOf
    members, one chosen oneOf/anyOf branch). A discriminator (or a search document's `_type`)
    fixes the branch; otherwise every branch that validates is an alternative."""
    alts = [[schema]]
    for m in schema.get('allOf', []):
        alts = [a + b for a in alts for b in alternatives(m, inst)]
    for key in ('oneOf', 'anyOf'):
        opts = schema.get(key)
        if not opts:
            continue
        disc = schema.get('discriminator')
        chosen = None
        if disc and isinstance(inst, dict):
            want = (disc.get('mapping') or {}).get(inst.get(disc['propertyName']))
            chosen = [o for o in opts if o.get('x-ref') == want]
        elif key == 'oneOf' and isinstance(inst, dict) and '_type' in inst:
            want = str(inst['_type']).lower()
            chosen = [o for o in opts
                      if o.get('x-ref', '').lower().replace('documents', '').replace('document', '') == want]
        if chosen is None:
            chosen = [o for o in opts if valid(o, inst)] or opts[:1]
        alts = [a + b for a in alts for o in chosen for b in alternatives(o, inst)]
    return alts


def strict_one(bs, inst, where):
    problems = []
    for b in bs:
        if b.get('x-ref') and not valid(b, inst):
            problems.append(f'{where}: does not match its {b["x-ref"]} schema: '
                            + '; '.join(errors(b, inst))[:400])
    if isinstance(inst, dict):
        props, free = {}, False
        for b in bs:
            if b.get('additionalProperties') not in (None, False):
                free = True
            for k, v in b.get('properties', {}).items():
                props.setdefault(k, []).append(v)
        if not props:
            free = True
        for k, v in inst.items():
            if k in props:
                for ps in props[k]:
                    problems += strict(ps, v, f'{where}.{k}')
            elif not free:
                problems.append(f'{where}: property {k!r} is not declared by the schema')
    elif isinstance(inst, list):
        for b in bs:
            if 'items' in b:
                for i, v in enumerate(inst):
                    problems += strict(b['items'], v, f'{where}[{i}]')
    return problems


def strict(schema, inst, where):
    first = None
    for bs in alternatives(schema, inst):
        p = strict_one(bs, inst, where)
        if not p:
            return []
        first = first or p
    return first or []


def check(schema, inst, where, problems):
    problems += [f'{where}: {e}' for e in errors(schema, inst)]
    problems += strict(schema, inst, where)


def media_examples(m, base):
    out = []
    if 'example' in m:
        out.append(('example', m['example']))
    for name, e in (m.get('examples') or {}).items():
        e, _ = deref(e, base)
        if 'value' not in e:
            out.append((name, KeyError('example without a value')))
        else:
            out.append((name, e['value']))
    return out


def main(roots):
    problems, count = [], 0
    for root in roots:
        root = os.path.abspath(root)
        spec = load(root)
        for path, item in spec['paths'].items():
            item, ibase = deref(item, root)
            for method, op in item.items():
                if method not in ('get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'):
                    continue
                where = f'{os.path.basename(root)} {method.upper()} {path}'
                for p in op.get('parameters', []):
                    p, pbase = deref(p, ibase)
                    if 'example' in p:
                        count += 1
                        check(resolve(p['schema'], pbase), p['example'], f'{where} param {p["name"]}', problems)
                rb = op.get('requestBody')
                if rb:
                    rb, rbase = deref(rb, ibase)
                    for ct, m in rb.get('content', {}).items():
                        s = resolve(m.get('schema', {}), rbase)
                        for name, v in media_examples(m, rbase):
                            count += 1
                            check(s, v, f'{where} request {ct} {name}', problems)
                        for pn, ps in s.get('properties', {}).items():
                            if 'example' in ps:
                                count += 1
                                check(ps, ps['example'], f'{where} request {ct} {pn}', problems)
                for status, r in op.get('responses', {}).items():
                    r, rbase = deref(r, ibase)
                    for hn, h in (r.get('headers') or {}).items():
                        if 'example' in h:
                            count += 1
                            check(resolve(h['schema'], rbase), h['example'], f'{where} {status} header {hn}', problems)
                    for ct, m in (r.get('content') or {}).items():
                        s = resolve(m.get('schema', {}), rbase)
                        exs = media_examples(m, rbase)
                        if not exs and ct == 'application/json':
                            problems.append(f'{where} {status} {ct}: no example')
                        for name, v in exs:
                            count += 1
                            check(s, v, f'{where} {status} {ct} {name}', problems)
    for p in problems:
        print('EXAMPLE ERROR', p)
    print(f'examples checked: {count}, problems: {len(problems)}')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
PY
then
  status=1
fi

if [ "$status" -ne 0 ]; then
  echo "validate-specs: FAILED" >&2
else
  echo "validate-specs: all specs valid"
fi
exit "$status"
