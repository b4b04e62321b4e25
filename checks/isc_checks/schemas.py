"""Validating a value against a schema of a bundled document: the one OAS 3.0 validator setup
both checks share.

- openapi-schema-validator's OAS 3.0 validator, with `$ref`s resolved by `referencing` in
  the version's document (`bundle.Spec.registry`);
- `required` follows OAS 3.0 by direction: a readOnly property is not required in a request,
  a writeOnly one not in a response, neither in a parameter or header ('any');
- formats: the OAS 3.0 ones (int32, int64, float, double, byte...) on top of jsonschema's
  (uuid, email...), date-time as RFC 3339 (the generator decodes it into a date-time type);
- search documents: a `oneOf` without discriminator whose branch is named after the
  object's `_type` (`accessprofile` -> `AccessProfileDocument`) is decided by it, as a
  discriminator would be (the generator tags these unions by `_type`);
- strict mode: an object schema that declares `properties` and no `additionalProperties`
  is closed, so an undeclared property is a violation. Closing happens once per object, over
  everything that applies to it: an `allOf` object accepts the properties of all its members
  (and of the object itself), a `oneOf`/`anyOf` branch accepts its own plus those of the
  enclosing object. A discriminator (or `_type`) names the one branch that must match.

`check()` runs both modes; `candidates()` turns their errors into the violations worth
reporting (innermost; the closest branch of a oneOf that matched none).
"""
# jsonschema's and openapi-schema-validator's keyword functions are not public API; the
# versions are pinned by checks/requirements.txt.
from jsonschema import FormatChecker
from jsonschema import _keywords as js_keywords
from jsonschema.exceptions import ValidationError
from jsonschema.validators import extend
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from openapi_schema_validator import _keywords as oas_keywords
from referencing.exceptions import Unresolvable
from rfc3339_validator import validate_rfc3339

UNDECLARED = "property not declared by the schema"
REQUEST, RESPONSE, ANY = "request", "response", "any"


# ---------------------------------------------------------------- formats

def _date_time(value):
    return not isinstance(value, str) or validate_rfc3339(value)


FORMATS = FormatChecker(formats=())
FORMATS.checkers.update(oas30_format_checker.checkers)
FORMATS.checks("date-time")(_date_time)


# ---------------------------------------------------------------- search documents' `_type`

def _squash(text):
    return "".join(c for c in str(text).lower() if c.isascii() and c.isalnum())


def _ref_name(branch):
    ref = branch.get("$ref") if isinstance(branch, dict) else None
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def type_tagged_branch(branches, instance, schema):
    """The index of the oneOf branch an object's `_type` names, or None. A branch is named
    after the value when its schema name, less `Document(s)`, is the value; or else when it
    is the only branch whose name contains the value (`accountactivity` ->
    `AccountActivitySearchedItem`)."""
    if "discriminator" in schema or not isinstance(instance, dict) or "_type" not in instance:
        return None
    want = _squash(instance["_type"])
    names = [_squash(_ref_name(b) or "") for b in branches]
    exact = [i for i, n in enumerate(names)
             if n and n.replace("documents", "").replace("document", "") == want]
    if len(exact) == 1:
        return exact[0]
    containing = [i for i, n in enumerate(names) if want and want in n]
    return containing[0] if len(containing) == 1 else None


def _type_tagged_oneOf(validator, branches, instance, schema):
    index = type_tagged_branch(branches, instance, schema)
    if index is None:
        yield from oas_keywords.oneOf(validator, branches, instance, schema)
    else:
        yield from validator.descend(instance, branches[index], schema_path=index)


# ---------------------------------------------------------------- plain validators

AnyValidator = extend(OAS30Validator, {"oneOf": _type_tagged_oneOf})
RequestValidator = extend(AnyValidator, {"required": oas_keywords.write_required})
ResponseValidator = extend(AnyValidator, {"required": oas_keywords.read_required})


# ---------------------------------------------------------------- strict mode

# Markers on the copies of schemas we descend into through allOf/oneOf/anyOf:
MEMBER = "x-isc-checks-allof-member"   # an allOf member: its object is closed by the parent
INHERIT = "x-isc-checks-inherited"     # property names the enclosing object declares


def _follow(resolver, schema):
    """Follow a schema's `$ref` chain with `referencing`: (schema, resolver at it)."""
    seen = set()
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        key = (resolver._base_uri, schema["$ref"])
        if key in seen:
            break
        seen.add(key)
        resolved = resolver.lookup(schema["$ref"])
        schema, resolver = resolved.contents, resolved.resolver
    return schema, resolver


def declared(resolver, schema, _seen=frozenset()):
    """(property names an object schema declares, whether it accepts other properties):
    its own, those of its allOf members, and those of its oneOf/anyOf branches."""
    schema, resolver = _follow(resolver, schema)
    if not isinstance(schema, dict):
        return set(), True
    if id(schema) in _seen:
        return set(), False
    _seen = _seen | {id(schema)}
    names = set(schema.get("properties") or {})
    ap = schema.get("additionalProperties")
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
    target, resolver = _follow(validator._resolver, sub)
    if not isinstance(target, dict):
        yield from validator.descend(instance, sub, schema_path=index)
        return
    copy = dict(target)
    copy[MEMBER] = member
    copy[INHERIT] = sorted(inherit)
    yield from validator.descend(instance, copy, schema_path=index, resolver=resolver)


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


def _strict_properties(validator, properties, instance, schema):
    yield from js_keywords.properties(validator, properties, instance, schema)
    yield from _closure(validator, instance, schema)


def _strict_allOf(validator, all_of, instance, schema):
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


def _discriminated_ref(schema, instance):
    """The `$ref` a discriminator names for an object (mapping, else the implicit
    `#/components/schemas/<value>`, as openapi-schema-validator does), or None."""
    prop = schema["discriminator"].get("propertyName")
    value = instance.get(prop) if isinstance(instance, dict) else None
    ref = (schema["discriminator"].get("mapping") or {}).get(value) \
        or f"#/components/schemas/{value}"
    return ref if value and isinstance(ref, str) else None


def _strict_choice(keyword):
    oas = oas_keywords.oneOf if keyword == "oneOf" else oas_keywords.anyOf

    def check(validator, branches, instance, schema):
        inherit = _own_and_members(validator, schema)
        if "discriminator" in schema:
            ref = _discriminated_ref(schema, instance)
            if ref is None:
                yield from oas(validator, branches, instance, schema)
                return
            try:
                errors = list(_descend_marked(validator, instance, {"$ref": ref}, 0, False, inherit))
            except Unresolvable:
                errors = [ValidationError(f"discriminator reference {ref!r} could not be resolved")]
            yield from errors
            return
        tagged = type_tagged_branch(branches, instance, schema) if keyword == "oneOf" else None
        if tagged is not None:
            yield from _descend_marked(validator, instance, branches[tagged], tagged, False, inherit)
            return
        errors = []
        for i, sub in enumerate(branches):
            errs = list(_descend_marked(validator, instance, sub, i, False, inherit))
            if not errs:
                return  # (the plain run already checked that at most one oneOf branch matches)
            errors.extend(errs)
        yield ValidationError(f"{short(instance)} is not valid under any of the given schemas",
                              context=errors)

    return check


STRICT_KEYWORDS = {
    "properties": _strict_properties,
    "allOf": _strict_allOf,
    "oneOf": _strict_choice("oneOf"),
    "anyOf": _strict_choice("anyOf"),
}
PLAIN = {REQUEST: RequestValidator, RESPONSE: ResponseValidator, ANY: AnyValidator}
STRICT = {direction: extend(cls, STRICT_KEYWORDS) for direction, cls in PLAIN.items()}


# ---------------------------------------------------------------- running and reporting

def check(spec, at, value, direction=ANY):
    """(plain errors, strict errors) of `value` against the schema at JSON pointer `at` of
    the spec's document. Raises referencing's Unresolvable if a `$ref` does not resolve."""
    schema = spec.schema_ref(at)
    return tuple(
        list(cls(schema, registry=spec.registry, format_checker=FORMATS).iter_errors(value))
        for cls in (PLAIN[direction], STRICT[direction]))


def short(value, limit=80):
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


def violations(plain_errors, strict_errors):
    """Plain violations, then strict-only ones (undeclared properties)."""
    return candidates(plain_errors, False) + candidates(strict_errors, True)


def message(error):
    if error.validator == "undeclared":
        return UNDECLARED
    text = error.message
    whole = repr(error.instance)
    if len(whole) > 80 and text.startswith(whole):
        text = short(error.instance) + text[len(whole):]
    return text if len(text) <= 200 else text[:197] + "..."
