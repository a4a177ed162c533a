"""What the draft feature keeps: only what the learner asks for. The per-AC result of a check
becomes a line in each AC's note when they press "save to my checklist"; the draft itself is
never stored. Tutors can switch draft checks off for a cohort."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from bot.services.tables import AcStatus, Cohort, CohortMember

PREFIX = "Draft check"


def allowed(session: Session, *, learner_id: int) -> bool:
    """False when any cohort the learner belongs to has draft checks switched off."""
    off = session.exec(select(Cohort.id).join(CohortMember,
                                              col(CohortMember.cohort_id) == col(Cohort.id))
                       .where(CohortMember.learner_id == learner_id,
                              col(Cohort.draft_checks).is_(False))).first()
    return off is None


def save(session: Session, *, learner_id: int, unit_code: str, results: dict[str, str],
         day: date) -> int:
    """A "Draft check <day>: <result>" line on each AC's note, replacing the line an earlier
    check left and keeping whatever else the learner wrote; how many ACs were noted."""
    rows = {r.ref: r for r in session.exec(select(AcStatus).where(
        AcStatus.learner_id == learner_id, AcStatus.unit_code == unit_code))}
    for ref, result in results.items():
        row = rows.get(ref) or AcStatus(learner_id=learner_id, unit_code=unit_code, ref=ref)
        kept = [line for line in (row.note or "").split("\n")
                if line.strip() and not line.startswith(PREFIX)]
        row.note = "\n".join([*kept, f"{PREFIX} {day.isoformat()}: {result}"])[:1000]
        session.add(row)
    return len(results)
