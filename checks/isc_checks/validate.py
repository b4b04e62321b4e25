"""Check a bundle's specs: each version's document, then every example against its schema.

1. openapi-spec-validator (OpenAPI 3.0) on each version's bundled document;
2. every example is checked against its schema (`schemas.check`, normal and strict): media
   type `example` / `examples` of request bodies and responses, parameter and header
   examples, and the `example` of each top-level property of a request body's schema. A
   JSON response without any example is a problem too.

Usage: python -m isc_checks.validate BUNDLE.json
Prints every problem and a summary (`examples checked: N, problems: M`); exit status 1 on
any problem.
"""
import argparse
import sys
from importlib.metadata import version as package_version
from typing import NamedTuple

from openapi_spec_validator import OpenAPIV30SpecValidator
from referencing.exceptions import Unresolvable

from . import bundle, schemas


class Example(NamedTuple):
    where: str        # for messages: version, operation, place
    schema_at: str    # JSON pointer of its schema (None: it has none, anything goes)
    value: object     # the example (a bundle.NotFound if it has none)
    direction: str    # schemas.REQUEST, RESPONSE or ANY


def spec_problems(spec):
    """openapi-spec-validator's complaints about a version's document."""
    validator = OpenAPIV30SpecValidator(spec.document)
    return [f"SPEC ERROR {spec.version}: {schemas.message(error)}" for error in validator.iter_errors()]


def parameter_examples(op, where):
    for param in op.node.child("parameters").elements() if op.node.has("parameters") else ():
        if param.has("example"):
            yield Example(f"{where} param {param.get('name')}", f"{param.at}/schema",
                          param.value["example"], schemas.ANY)


def media_examples(spec, body, where, direction):
    for media_type, media in body.child("content").items() if body.has("content") else ():
        schema_at = f"{media.at}/schema" if media.has("schema") else None
        for name, value in bundle.examples(media):
            yield Example(f"{where} {media_type} {name}", schema_at, value, direction)
        if direction == schemas.REQUEST and media.has("schema"):
            yield from property_examples(spec, media, f"{where} {media_type}")


def property_examples(spec, media, where):
    """The `example` of each top-level property of a request body's schema."""
    schema = spec.follow(media.child("schema"))
    for name, prop in schema.child("properties").items() if schema.has("properties") else ():
        target = spec.follow(prop)  # a `$ref`'d property: the example of the schema it names
        if target.has("example"):
            yield Example(f"{where} {name}", prop.at, target.value["example"], schemas.ANY)


def response_examples(spec, op, where):
    for status, response in op.node.child("responses").items() if op.node.has("responses") else ():
        for name, header in response.child("headers").items() if response.has("headers") else ():
            if header.has("example"):
                yield Example(f"{where} {status} header {name}", f"{header.at}/schema",
                              header.value["example"], schemas.ANY)
        yield from media_examples(spec, response, f"{where} {status}", schemas.RESPONSE)


def missing_examples(op, where):
    """A JSON response without any example."""
    for status, response in op.node.child("responses").items() if op.node.has("responses") else ():
        media = response.get("content", {}).get("application/json")
        if media is not None and "example" not in media and not media.get("examples"):
            yield f"{where} {status} application/json: no example"


def operation_examples(spec, op, where):
    yield from parameter_examples(op, where)
    if op.node.has("requestBody"):
        yield from media_examples(spec, op.node.child("requestBody"), f"{where} request",
                                  schemas.REQUEST)
    yield from response_examples(spec, op, where)


def example_problems(spec, example):
    """What is wrong with one example, as lines."""
    if isinstance(example.value, bundle.NotFound):
        return [f"{example.where}: {example.value}"]
    if example.schema_at is None:
        return []
    try:
        found = schemas.violations(*schemas.check(spec, example.schema_at, example.value,
                                                  example.direction))
    except Unresolvable as e:
        return [f"{example.where}: its schema does not resolve: {getattr(e, 'ref', e)!r}"]
    return [f"{example.where}: {schemas.json_path(e)}: {schemas.message(e)}" for e in found]


def check_version(spec):
    """(examples checked, problem lines) of one version."""
    problems, count = [], 0
    for op in spec.operations():
        where = f"{spec.version} {op.method.upper()} {op.path}"
        problems += missing_examples(op, where)
        try:
            found = list(operation_examples(spec, op, where))
        except (bundle.NotFound, Unresolvable) as e:
            problems.append(f"{where}: cannot read its examples: {getattr(e, 'ref', e)!r}")
            continue
        for example in found:
            count += 1
            problems += example_problems(spec, example)
    return count, [f"EXAMPLE ERROR {p}" for p in problems]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("bundle", help="the bundle: `cargo xtask bundle --out FILE.json`")
    args = parser.parse_args(argv)
    try:
        specs = bundle.load(args.bundle)
    except (OSError, ValueError) as e:
        print(f"validate: cannot read the bundle: {e}", file=sys.stderr)
        return 1
    print(f"validate: openapi-spec-validator {package_version('openapi-spec-validator')}")
    problems = 0
    for version in sorted(specs):
        found = spec_problems(specs[version])
        for line in found:
            print(line)
        print(f"{version}: {'OK' if not found else f'{len(found)} errors'}")
        problems += len(found)
    print("validate: checking examples against their schemas")
    count = 0
    for version in sorted(specs):
        n, found = check_version(specs[version])
        count += n
        problems += len(found)
        for line in found:
            print(line)
    print(f"examples checked: {count}, problems: {problems}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
