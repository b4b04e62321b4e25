"""Checks of the OpenAPI specs, run on the generator's bundle (`cargo xtask bundle`): `validate`
checks the documents and their examples, `conformance` classifies the conformance test's failures."""
