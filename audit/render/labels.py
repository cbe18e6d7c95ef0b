"""Short names the text renderers show for a citation."""

from __future__ import annotations

from audit.model import AuditedCitation
from audit.urls import host_of


def outlet_label(ac: AuditedCitation) -> str:
    """Who published the source, as far as the run knows: the tier list's name, else the
    citation's, else what the page calls itself, else the link's host; "" for none.

    A row without a name still says where its link goes (`council.example.org`, not "—").
    """
    rated = ac.rating.outlet if ac.rating and ac.rating.outlet else None
    site = ac.page.site_name if ac.page else None
    return (
        rated
        or ac.citation.reference.outlet
        or site
        or host_of(ac.citation.reference.url or "")
        or ""
    )
