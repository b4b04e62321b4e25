"""Reading the generator's bundle: the input of every check.

`cargo xtask bundle --out FILE.json` writes one JSON object keyed by version name; each
value is that version's OpenAPI 3.0 document as the generator's loader bundles it. Every
`$ref` is inlined except schema references, which all point at
`#/components/schemas/<Name>` inside the same document. So a version needs no file access
and no `$ref` resolution of ours: its document is the single resource of a `referencing`
registry, and a schema anywhere in it is named by a JSON pointer.

This module loads a bundle, walks its operations, locates media types and their examples,
and names schemas for the validators (`Spec.schema_ref`).
"""
import json
import urllib.parse

from referencing import Registry
from referencing.jsonschema import DRAFT4

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class NotFound(Exception):
    """Something the bundle does not have (an operation, a response, an example...)."""


def load(path):
    """{version: Spec} of a bundle file."""
    with open(path, encoding="utf-8") as f:
        versions = json.load(f)
    if not isinstance(versions, dict) or not all(isinstance(d, dict) for d in versions.values()):
        raise ValueError(f"{path}: not a bundle (an object of OpenAPI documents by version)")
    return {version: Spec(version, document) for version, document in versions.items()}


def escape(segment):
    """One JSON pointer segment."""
    return str(segment).replace("~", "~0").replace("/", "~1")


def pointer(*segments):
    return "".join("/" + escape(s) for s in segments)


def is_json(media_type):
    """A JSON media type, as the generator picks a body's: the first of these."""
    mt = media_type.lower()
    return mt == "application/json" or mt.endswith("+json") or mt == "*/*"


class Node:
    """A value of a document and the JSON pointer it lives at."""

    def __init__(self, value, at):
        self.value, self.at = value, at

    def has(self, key):
        return isinstance(self.value, dict) and key in self.value

    def child(self, key):
        if not self.has(key):
            raise NotFound(f"no `{key}` at {self.at or '/'}")
        return Node(self.value[key], f"{self.at}/{escape(key)}")

    def get(self, key, default=None):
        return self.value.get(key, default) if isinstance(self.value, dict) else default

    def items(self):
        """(key, child) of a mapping, in the document's order."""
        if not isinstance(self.value, dict):
            return []
        return [(k, self.child(k)) for k in self.value]

    def elements(self):
        """The children of a list."""
        if not isinstance(self.value, list):
            return []
        return [Node(v, f"{self.at}/{i}") for i, v in enumerate(self.value)]


class Operation:
    def __init__(self, path, method, node):
        self.path, self.method, self.node = path, method, node

    @property
    def operation_id(self):
        return self.node.get("operationId")

    def body(self, where):
        """The request body (`where` == 'request') or the response of that status."""
        if where == "request":
            return self.node.child("requestBody")
        return self.node.child("responses").child(where)


class Spec:
    """One version's bundled document, with a registry that holds it as its only resource."""

    def __init__(self, version, document):
        self.version, self.document = version, document
        self.root = Node(document, "")
        self.uri = f"urn:isc-bundle:{urllib.parse.quote(version, safe='')}"
        self.registry = Registry().with_resource(self.uri, DRAFT4.create_resource(document))
        self._by_id = None

    def schema_ref(self, at):
        """A schema that is the one at JSON pointer `at` of this document."""
        return {"$ref": self.uri + "#" + urllib.parse.quote(at, safe="/~")}

    def follow(self, node):
        """A schema node with its `$ref` followed (through `referencing`), as a Node."""
        resolver = self.registry.resolver(base_uri=self.uri)
        seen = set()
        while isinstance(node.value, dict) and isinstance(node.value.get("$ref"), str):
            ref = node.value["$ref"]
            if ref in seen:
                raise NotFound(f"`$ref` cycle at {node.at}")
            seen.add(ref)
            resolved = resolver.lookup(ref)
            at = urllib.parse.unquote(urllib.parse.urldefrag(ref).fragment)
            node, resolver = Node(resolved.contents, at), resolved.resolver
        return node

    def operations(self):
        """Every operation, in document order."""
        for path, item in self.root.child("paths").items() if self.root.has("paths") else ():
            for method in HTTP_METHODS:
                if item.has(method):
                    yield Operation(path, method, item.child(method))

    def operation(self, operation_id):
        if self._by_id is None:
            self._by_id = {}
            for op in self.operations():
                if op.operation_id:
                    self._by_id.setdefault(op.operation_id, []).append(op)
        ops = self._by_id.get(operation_id)
        if not ops:
            raise NotFound(f"no operation `{operation_id}` in version {self.version}")
        if len(ops) > 1:
            raise NotFound(f"operationId `{operation_id}` is used by {len(ops)} operations")
        return ops[0]

    def media(self, operation_id, where):
        """The JSON media type of an operation's request body (`where` == 'request') or of
        its response with that status."""
        return json_media(self.operation(operation_id).body(where))


def json_media(body):
    """The first JSON media type of a request body or response."""
    content = body.child("content")
    for media_type, media in content.items():
        if is_json(media_type):
            return media
    raise NotFound(f"no JSON media type at {content.at}")


def examples(media):
    """(name, value) of each example of a media type: `example` (named 'example'), then
    `examples` in order. A value that cannot be had is a NotFound instead."""
    out = []
    if media.has("example"):
        out.append(("example", media.value["example"]))
    for name, example in media.child("examples").items() if media.has("examples") else ():
        try:
            out.append((name, example_object_value(example)))
        except NotFound as e:
            out.append((name, e))
    return out


def example(media, name):
    """The value of the example called `name` of a media type."""
    if name == "example" and media.has("example"):
        return media.value["example"]
    named = media.get("examples") or {}
    if name not in named:
        raise NotFound(f"no example `{name}` at {media.at} (has: "
                       + (", ".join(sorted(map(str, named))) or "none") + ")")
    return example_object_value(media.child("examples").child(name))


def example_object_value(example):
    """An Example object's `value`. Without one (and without `externalValue`) the object is
    taken as the value itself: an example file that was the value, inlined."""
    if example.has("value"):
        return example.value["value"]
    if example.has("externalValue"):
        raise NotFound(f"the example at {example.at} only has an externalValue")
    return example.value
