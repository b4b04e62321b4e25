"""isc_checks.bundle: walking the document and finding examples."""
import unittest

from isc_checks import bundle

from . import fixtures


class BundleTest(unittest.TestCase):
    def setUp(self):
        self.spec = fixtures.spec()

    def test_load_reads_each_version(self):
        with fixtures.BundleFile(fixtures.document()) as path:
            specs = bundle.load(path)
        self.assertEqual(list(specs), ["t1"])
        self.assertEqual(specs["t1"].document["info"]["title"], "tiny")

    def test_operations_in_document_order(self):
        found = [(op.path, op.method, op.operation_id) for op in self.spec.operations()]
        self.assertEqual(found, [("/gadgets/{serial}", "get", "getGadget"),
                                 ("/gadgets/{serial}", "put", "putGadget"),
                                 ("/shapes", "post", "postShape")])

    def test_media_of_a_response_and_of_a_request(self):
        response = self.spec.media("getGadget", "200")
        self.assertEqual(response.at,
                         "/paths/~1gadgets~1{serial}/get/responses/200/content/application~1json")
        request = self.spec.media("putGadget", "request")
        self.assertEqual(bundle.example(request, "plain"), {"label": "x", "colour": "red"})

    def test_examples_of_a_media_type(self):
        media = self.spec.media("getGadget", "200")
        self.assertEqual([name for name, _ in bundle.examples(media)], ["example"])

    def test_missing_things_are_not_found(self):
        with self.assertRaises(bundle.NotFound):
            self.spec.media("noSuchOperation", "200")
        with self.assertRaises(bundle.NotFound):
            self.spec.media("putGadget", "204")  # a response without content
        with self.assertRaises(bundle.NotFound):
            bundle.example(self.spec.media("putGadget", "request"), "other")

    def test_example_object_without_value(self):
        node = bundle.Node({"externalValue": "elsewhere.json"}, "/x")
        with self.assertRaises(bundle.NotFound):
            bundle.example_object_value(node)
        self.assertEqual(bundle.example_object_value(bundle.Node({"a": 1}, "/y")), {"a": 1})

    def test_follow_goes_through_the_registry(self):
        node = self.spec.root.child("components").child("schemas").child("LabelledGadget")
        member = self.spec.follow(node.child("allOf").elements()[0])
        self.assertEqual(member.at, "/components/schemas/Gadget")
        self.assertIn("serial", member.value["properties"])

    def test_schema_ref_quotes_the_pointer(self):
        at = "/paths/~1gadgets~1{serial}/get"
        self.assertEqual(self.spec.schema_ref(at),
                         {"$ref": "urn:isc-bundle:t1#/paths/~1gadgets~1%7Bserial%7D/get"})


if __name__ == "__main__":
    unittest.main()
