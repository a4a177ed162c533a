"""The content check: every unit file faithful to its source, and a table of what each holds."""

from __future__ import annotations

from content.catalogue import Catalogue
from content.fidelity import unit_problems
from content.loader import DATA_DIR, load_unit_files


def content_report(catalogue: Catalogue) -> tuple[str, list[str]]:
    """A table per unit (LOs, ACs, ACs with guidance, theorists) and the fidelity problems."""
    rows = [("unit", "LOs", "ACs", "with guidance", "theorists", "ACs without guidance")]
    for unit in catalogue.units.values():
        bare = [ac.ref for ac in unit.criteria if not ac.guidance]
        theorists = {n for ac in unit.criteria for n in ac.theorists}
        rows.append((unit.code, str(len(unit.learning_outcomes)), str(len(unit.criteria)),
                     str(len(unit.criteria) - len(bare)), str(len(theorists)),
                     ", ".join(bare) or "-"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    problems = [p for f in load_unit_files(DATA_DIR) for p in unit_problems(f.model_dump())]
    total = sum(len(u.criteria) for u in catalogue.units.values())
    lines.append(f"\n{len(catalogue.units)} units, {total} ACs, {len(catalogue.theorists)} "
                 f"theorists and models, {len(catalogue.qualifications)} qualifications")
    lines += [f"NOT FAITHFUL: {p}" for p in problems] or ["every text found in its source"]
    return "\n".join(lines), problems
