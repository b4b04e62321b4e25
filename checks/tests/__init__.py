"""Unit tests of isc_checks, on tiny bundles made in `fixtures`."""
