"""Constants the tests share (plain Python: the domain tests import them too)."""

from decimal import Decimal

# Values in the tests are written as multiples of a million (44 * M is 4400万).
M = Decimal(1_000_000)
