"""isc_checks.schemas: plain and strict validation against a bundled document's schemas."""
import unittest

from isc_checks import schemas

from . import fixtures

GADGET = "/components/schemas/Gadget"


def problems(spec, at, value, direction=schemas.ANY):
    return [(schemas.json_path(e), schemas.message(e))
            for e in schemas.violations(*schemas.check(spec, at, value, direction))]


class SchemasTest(unittest.TestCase):
    def setUp(self):
        self.spec = fixtures.spec()

    def test_a_valid_value_passes(self):
        self.assertEqual(problems(self.spec, GADGET, {"serial": "a", "label": "b", "count": 3}), [])

    def test_an_undeclared_property_fails_only_strictly(self):
        plain, strict = schemas.check(self.spec, GADGET, {"serial": "a", "label": "b", "wheels": 4})
        self.assertEqual(plain, [])
        self.assertEqual(problems(self.spec, GADGET, {"serial": "a", "label": "b", "wheels": 4}),
                         [("$.wheels", schemas.UNDECLARED)])

    def test_additional_properties_leave_an_object_open(self):
        self.assertEqual(problems(self.spec, "/components/schemas/Bag", {"n": 1, "other": 2}), [])

    def test_all_of_members_declare_properties_together(self):
        at = "/components/schemas/LabelledGadget"
        self.assertEqual(problems(self.spec, at, {"serial": "a", "label": "b", "colour": "red"}), [])
        self.assertEqual(problems(self.spec, at, {"serial": "a", "label": "b", "size": 1}),
                         [("$.size", schemas.UNDECLARED)])

    def test_formats_and_types(self):
        found = problems(self.spec, GADGET, {"serial": "a", "label": "b", "made": "yesterday",
                                              "count": 2 ** 40})
        self.assertEqual(sorted(path for path, _ in found), ["$.count", "$.made"])

    def test_read_only_is_not_required_in_a_request(self):
        self.assertEqual(problems(self.spec, GADGET, {"label": "b"}, schemas.REQUEST), [])
        self.assertEqual(problems(self.spec, GADGET, {"label": "b"}, schemas.RESPONSE),
                         [("$", "'serial' is a required property")])

    def test_the_discriminator_names_the_branch(self):
        at = "/components/schemas/Shape"
        self.assertEqual(problems(self.spec, at, {"kind": "round", "radius": 1}), [])
        self.assertEqual(problems(self.spec, at, {"kind": "round", "side": 1}),
                         [("$.side", schemas.UNDECLARED)])

    def test_type_names_the_search_document(self):
        at = "/components/schemas/FruitDocument"
        self.assertEqual(problems(self.spec, at, {"_type": "pear", "stalk": True}), [])
        # `stalk` would fit the pear, but `_type` says apple
        self.assertEqual(problems(self.spec, at, {"_type": "apple", "stalk": True}),
                         [("$.stalk", schemas.UNDECLARED)])

    def test_null_needs_nullable(self):
        self.assertEqual(problems(self.spec, GADGET, {"serial": "a", "label": None})[0][0], "$.label")


if __name__ == "__main__":
    unittest.main()
