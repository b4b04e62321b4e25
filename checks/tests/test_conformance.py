"""isc_checks.conformance: reading the conformance output and classifying its failures."""
import contextlib
import io
import os
import tempfile
import unittest

from isc_checks import conformance

from . import fixtures

REPORT = """\
..t1: decoded 1/3 examples
  getGadget 200 example: does not decode at `.`: missing field `serial`
  postShape request circle: `$.radius` is lost
"""


def run(report, doc=None):
    out, err = io.StringIO(), io.StringIO()
    with fixtures.BundleFile(doc or fixtures.document()) as path, tempfile.TemporaryDirectory() as tmp:
        report_path = os.path.join(tmp, "report.txt")
        with open(report_path, "w") as f:
            f.write(report)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = conformance.main(["--bundle", path, report_path])
    return status, out.getvalue(), err.getvalue()


class ParseTest(unittest.TestCase):
    def test_parse_report(self):
        versions = conformance.parse_report(REPORT)
        self.assertEqual(versions["t1"][:2], (1, 3))
        self.assertEqual(versions["t1"][2][1], ("postShape", "request", "circle: `$.radius` is lost"))

    def test_decoder_path(self):
        self.assertEqual(conformance.decoder_path("does not decode at `.`: x"), "$")
        self.assertEqual(conformance.decoder_path("does not decode at `a.b`: x"), "$.a.b")
        self.assertEqual(conformance.decoder_path("`$[0].c` is lost"), "$[0].c")
        self.assertIsNone(conformance.decoder_path("something else"))


class ClassifyTest(unittest.TestCase):
    def test_an_example_that_violates_its_schema_is_explained(self):
        spec = fixtures.spec({"label": "no serial"})
        cls, text, name = conformance.classify(spec, "getGadget", "200", "example: does not decode at `.`: x")
        self.assertEqual((cls, name), ("explained", "example"))
        self.assertEqual(text, "upstream example violates its schema: $: 'serial' is a required property")

    def test_an_undeclared_property_explains_a_failure(self):
        spec = fixtures.spec({"serial": "s", "label": "l", "extra": 1})
        cls, text, _ = conformance.classify(spec, "getGadget", "200", "example: `$.extra` is lost")
        self.assertEqual(cls, "explained")
        self.assertIn("$.extra: property not declared by the schema", text)

    def test_a_valid_example_is_unexplained(self):
        cls, text, _ = conformance.classify(fixtures.spec(), "postShape", "request",
                                            "circle: `$.radius` is lost")
        self.assertEqual((cls, text), ("unexplained", "UNEXPLAINED: example satisfies its schema"))

    def test_an_unknown_example_is_not_located(self):
        cls, text, name = conformance.classify(fixtures.spec(), "postShape", "request", "square: oops")
        self.assertEqual((cls, name), ("missing", "square"))
        self.assertIn("no example `square`", text)


class MainTest(unittest.TestCase):
    def test_too_many_unexplained_failures_fail(self):
        status, out, err = run(REPORT)
        self.assertEqual(status, 1)
        self.assertIn("t1: 1/3 decoded; 0 failures are examples that violate their own schema; "
                      "2 unexplained", out)
        self.assertIn("FAILED: too many failures", err)

    def test_explained_failures_pass(self):
        report = "t1: decoded 2/3 examples\n  getGadget 200 example: does not decode at `.`: x\n"
        status, out, _ = run(report, fixtures.document({"label": "no serial"}))
        self.assertEqual(status, 0, out)
        self.assertIn("total: 2 decoded + 1 explained = 3/3 examples (100.0%); 0 unexplained", out)

    def test_a_missing_example_fails(self):
        status, out, err = run("t1: decoded 0/1 examples\n  postShape request square: oops\n")
        self.assertEqual(status, 1)
        self.assertIn("could not be located", err)

    def test_a_version_missing_from_the_bundle_fails(self):
        status, out, _ = run("t9: decoded 0/1 examples\n  getGadget 200 example: x\n")
        self.assertEqual(status, 1)
        self.assertIn("version t9 is not in the bundle", out)

    def test_an_unreadable_report_fails(self):
        status, _, err = run("nothing useful here\n")
        self.assertEqual(status, 1)
        self.assertIn("no `<version>: decoded N/M examples` line", err)


if __name__ == "__main__":
    unittest.main()
