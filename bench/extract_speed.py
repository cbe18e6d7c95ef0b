"""Benchmark: plain-text extraction of a synthetic 1 MB article. Prints the time per run.

Run: .venv/bin/python bench/extract_speed.py [size_in_bytes]
The article is generated here (body paragraphs with superscript and bracket markers, bare URLs,
attributions, an e-mail address; a 200-entry notes section; a comment after it), so the figure
does not depend on any file.
"""

from __future__ import annotations

import argparse
import time

from audit.extract.plaintext import extract_text

SUPERS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def make_article(size: int, notes: int = 200) -> str:
    """A plain-text article of about `size` characters."""
    lines = ["A Synthetic Headline About Ports and Pipelines", "By Jane Roe", "March 3, 2025"]
    entries = [
        f"Example Wire, “Story number {n},” July {n % 28 + 1}, 2024, https://wire.example/2024/{n}"
        for n in range(1, notes + 1)
    ]
    tail_size = sum(len(e) + 1 for e in entries) + 200
    n = 0
    total = sum(len(x) + 1 for x in lines)
    while total < size - tail_size:
        n += 1
        sup = str(n % notes + 1).translate(SUPERS)
        para = (
            f"Paragraph {n} says the port handled 4.5 million containers in 2023.{sup} "
            f"According to The New York Times, the terminal was sold[{(n + 3) % notes + 1}]. "
            f"Details are at https://data.example/ports/{n}_(annex). Reuters reported the deal, "
            f"and the ministry told the BBC it was routine. Write to desk{n}@news.example "
            "for more. "
            "The remaining sentences pad the paragraph with ordinary prose about cranes, leases, "
            "tenders and the people who argue about them in long meetings every winter."
        )
        lines.append(para)
        total += len(para) + 1
    lines.append("Notes")
    lines.extend(entries)
    lines.append("I disagree with all of this! See https://myblog.example/rant for my view.")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "size", nargs="?", type=int, default=1_000_000, help="article size in bytes"
    )
    text = make_article(parser.parse_args().size)
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        doc = extract_text("bench.txt", text, ())
        runs.append(time.perf_counter() - t0)
    uses = sum(len(c.uses) for c in doc.citations)
    print(
        f"plain-text extraction of {len(text.encode()) / 1e6:.2f} MB ({len(text):,} chars): "
        f"best {min(runs):.3f} s, worst {max(runs):.3f} s over {len(runs)} runs; "
        f"{len(doc.citations)} citations, {uses} uses, {len(doc.markers)} markers, "
        f"{len(doc.ignored_links)} ignored links"
    )


if __name__ == "__main__":
    main()
