"""Switches the tests flip through the seeding endpoint (one provider process per test run)."""

ISSUER_OVERRIDE = ""
