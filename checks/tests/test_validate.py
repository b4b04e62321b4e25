"""isc_checks.validate: the command line on tiny bundles."""
import contextlib
import io
import unittest

from isc_checks import validate

from . import fixtures


def run(doc):
    out = io.StringIO()
    with fixtures.BundleFile(doc) as path, contextlib.redirect_stdout(out):
        status = validate.main([path])
    return status, out.getvalue()


class ValidateTest(unittest.TestCase):
    def test_valid_examples_pass(self):
        status, out = run(fixtures.document())
        self.assertEqual(status, 0, out)
        self.assertIn("t1: OK", out)
        # getGadget's parameter and 200 example, putGadget's request, postShape's request and 201
        self.assertIn("examples checked: 5, problems: 0", out)

    def test_an_undeclared_property_is_a_problem(self):
        doc = fixtures.document({"serial": "g", "label": "l", "weight": 3})
        status, out = run(doc)
        self.assertEqual(status, 1)
        self.assertIn("EXAMPLE ERROR t1 GET /gadgets/{serial} 200 application/json example: "
                      "$.weight: property not declared by the schema", out)
        self.assertIn("problems: 1", out)

    def test_a_json_response_without_example_is_a_problem(self):
        doc = fixtures.document()
        response = doc["paths"]["/gadgets/{serial}"]["get"]["responses"]["200"]
        del response["content"]["application/json"]["example"]
        status, out = run(doc)
        self.assertEqual(status, 1)
        self.assertIn("200 application/json: no example", out)

    def test_a_broken_document_fails_the_spec_validator(self):
        doc = fixtures.document()
        del doc["info"]
        status, out = run(doc)
        self.assertEqual(status, 1)
        self.assertIn("SPEC ERROR t1:", out)

    def test_property_examples_of_a_request_body(self):
        doc = fixtures.document()
        doc["components"]["schemas"]["LabelledGadget"]["properties"]["colour"]["example"] = 7
        status, out = run(doc)
        self.assertEqual(status, 1)
        self.assertIn("request application/json colour: $: 7 is not of type 'string'", out)


if __name__ == "__main__":
    unittest.main()
