"""What a line of the periodic report (`report.Counts`), the dashboards' flows (`dashboards.Flows`) and an
officer's scorecard (`scorecards.Scorecard`) have in common: a fixed set of counts that add up count by count,
figures derived from them, and one convention for rates.

A rate is a percentage (0 to 100) rounded to one decimal: the scale Biểu 06 names its rate column in ("Tỷ lệ
giải quyết đúng hạn (%)"), what every page and spreadsheet shows, and what the API answers, so that a figure
read in the API is the figure on the page. Only the rate is rounded, never a count, and a sum of counters
derives its rates again from the summed counts, so rounding never accumulates.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar, Self

RATE_DECIMALS = 1


def rate(part: int, whole: int) -> float | None:
    """`part` as a percentage of `whole`, to `RATE_DECIMALS` decimals; None when `whole` is 0 (nothing to
    judge, which is not the same as 0 %)."""
    return round(100 * part / whole, RATE_DECIMALS) if whole else None


@dataclasses.dataclass(frozen=True)
class Counters:
    """The base of a frozen dataclass whose fields are all counts."""

    # The derived figures (properties) that `as_dict` gives after the counts.
    DERIVED: ClassVar[tuple[str, ...]] = ()

    def __add__(self, other: Self) -> Self:
        return type(self)(
            *(a + b for a, b in zip(dataclasses.astuple(self), dataclasses.astuple(other), strict=True))
        )

    def as_dict(self) -> dict[str, int | float | None]:
        """The counts and the derived figures, as the API and the pages' JSON give them."""
        return {**dataclasses.asdict(self), **{name: getattr(self, name) for name in self.DERIVED}}
