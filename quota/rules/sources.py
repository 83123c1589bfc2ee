"""Which figures an assessment uses: declared or official (pure; issue #13 items 7 and 9).

The levy rests on the employer's headcount and wage total (财税〔2015〕72号 art. 7-8). Where an official
source (social insurance or tax records) knows a larger figure than the one declared, the larger one is
used, so that under-declaring cannot lower the levy (DESIGN 3.2 item 9 grades the under-declaration
itself as a credit flag); an employer that did not file is assessed on the official figures alone
(DESIGN 3.2 item 8). The choice and its reason are stated in the explanation.
"""

from __future__ import annotations

from fractions import Fraction

DECLARED = "declared"
OFFICIAL = "official"


def larger(
    declared: Fraction | None, official: Fraction | None
) -> tuple[Fraction | None, str | None]:
    """Return the figure to use and where it comes from: the larger of the two (declared on a tie)."""
    if official is None:
        return declared, None if declared is None else DECLARED
    if declared is None or official > declared:
        return official, OFFICIAL
    return declared, DECLARED
