"""A tiny bundle, written for the tests: one version, `t1`, with a few operations."""
import copy
import json
import os
import tempfile

from isc_checks import bundle

SCHEMAS = {
    "Gadget": {
        "type": "object",
        "required": ["serial", "label"],
        "properties": {
            "serial": {"type": "string", "readOnly": True},
            "label": {"type": "string"},
            "made": {"type": "string", "format": "date-time"},
            "count": {"type": "integer", "format": "int32"},
        },
    },
    "LabelledGadget": {
        "allOf": [{"$ref": "#/components/schemas/Gadget"}],
        "properties": {"colour": {"type": "string"}},
    },
    "Bag": {"type": "object", "additionalProperties": True, "properties": {"n": {"type": "integer"}}},
    "Circle": {"type": "object", "properties": {"kind": {"type": "string"}, "radius": {"type": "number"}}},
    "Square": {"type": "object", "properties": {"kind": {"type": "string"}, "side": {"type": "number"}}},
    "Shape": {
        "oneOf": [{"$ref": "#/components/schemas/Circle"}, {"$ref": "#/components/schemas/Square"}],
        "discriminator": {"propertyName": "kind", "mapping": {
            "round": "#/components/schemas/Circle", "boxy": "#/components/schemas/Square"}},
    },
    "AppleDocument": {"type": "object", "properties": {
        "_type": {"type": "string"}, "pips": {"type": "integer"}}},
    "PearDocument": {"type": "object", "properties": {
        "_type": {"type": "string"}, "pips": {"type": "integer"}, "stalk": {"type": "boolean"}}},
    "FruitDocument": {"oneOf": [{"$ref": "#/components/schemas/AppleDocument"},
                                {"$ref": "#/components/schemas/PearDocument"}]},
}


def json_body(schema, **examples):
    media = {"schema": schema}
    if "example" in examples:
        media["example"] = examples.pop("example")
    if examples:
        media["examples"] = {name: {"value": value} for name, value in examples.items()}
    return {"content": {"application/json": media}}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def document(gadget_example=None):
    """The version's document; `gadget_example` is the example of the getGadget response."""
    gadget = gadget_example or {"serial": "g-1", "label": "first", "made": "2024-02-03T04:05:06Z"}
    return {
        "openapi": "3.0.1",
        "info": {"title": "tiny", "version": "1"},
        "paths": {
            "/gadgets/{serial}": {
                "get": {
                    "operationId": "getGadget",
                    "parameters": [{"name": "serial", "in": "path", "required": True,
                                    "schema": {"type": "string"}, "example": "g-1"}],
                    "responses": {"200": dict(json_body(ref("Gadget"), example=gadget),
                                              description="a gadget")},
                },
                "put": {
                    "operationId": "putGadget",
                    "parameters": [{"name": "serial", "in": "path", "required": True,
                                    "schema": {"type": "string"}}],
                    "requestBody": json_body(ref("LabelledGadget"),
                                             plain={"label": "x", "colour": "red"}),
                    "responses": {"204": {"description": "stored"}},
                },
            },
            "/shapes": {
                "post": {
                    "operationId": "postShape",
                    "requestBody": json_body(ref("Shape"), circle={"kind": "round", "radius": 2}),
                    "responses": {"201": dict(json_body(ref("FruitDocument"),
                                                        pear={"_type": "pear", "stalk": True}),
                                              description="made")},
                },
            },
        },
        "components": {"schemas": copy.deepcopy(SCHEMAS)},
    }


def spec(gadget_example=None):
    return bundle.Spec("t1", document(gadget_example))


class BundleFile:
    """A bundle written to a temporary file: `with BundleFile(doc) as path:`."""

    def __init__(self, doc):
        self.doc = doc

    def __enter__(self):
        fd, self.path = tempfile.mkstemp(suffix=".json")
        with os.fdopen(fd, "w") as f:
            json.dump({"t1": self.doc}, f)
        return self.path

    def __exit__(self, *exc):
        os.unlink(self.path)
