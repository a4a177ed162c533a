"""Rules of combination for all seven qualifications."""

import pytest

from content.loader import load_catalogue
from content.rules import check_rule

CAT = load_catalogue()
CREDITS = CAT.credits()


def status(code: str, done: list[str]):
    return check_rule(CAT.qualifications[code], done, CREDITS)


def test_l7_diploma_needs_all_of_group_a_and_7_credits_of_group_b() -> None:
    group_a = ["7015V1", "7016V1", "7017V1", "7018V1", "7002V1", "7020V1"]
    only_a = status("7D2V2", group_a)
    assert not only_a.met
    assert only_a.summary() == "Group A: complete; Group B: 0 of 7 credits"
    assert status("7D2V2", group_a + ["6001V1"]).met
    assert status("7D2V2", group_a + ["6001V1"]).credits == 46


def test_l7_diploma_group_b_cannot_replace_a_mandatory_unit() -> None:
    result = status("7D2V2", ["7015V1", "7016V1", "7017V1", "7018V1", "7002V1",
                              "7019V1", "7010V1", "6001V1", "6004V1"])
    assert not result.met
    assert "Group A: still needed 7020V1" in result.missing


def test_l5_diploma_needs_all_42_credits() -> None:
    all_units = ["5001V1", "5014V1", "5015V1", "5016V1", "5017V1", "5018V1", "5019V1"]
    assert status("5D2V2", all_units).met
    assert status("5D2V2", all_units).credits == 42
    six = status("5D2V2", all_units[1:])
    assert not six.met
    assert "Mandatory: still needed 5001V1" in six.missing
    assert "6 more credits (36 of 42)" in six.missing


@pytest.mark.parametrize("code,enough,short", [
    ("5A2V2", ["5017V1"], []),
    ("5C2V2", ["5014V1", "5015V1", "5016V1"], ["5014V1", "5015V1"]),
    ("7A2V2", ["7016V1"], []),
    ("7C2V2", ["7015V1", "7016V1"], ["7015V1"]),
])
def test_awards_and_certificates_count_credits_from_their_units(code, enough, short) -> None:
    assert status(code, enough).met
    assert not status(code, short).met


def test_units_outside_the_rule_do_not_count() -> None:
    # 5001V1 is in the L5 Diploma only; it earns nothing towards the L5 Award.
    assert not status("5A2V2", ["5001V1"]).met
    assert status("5A2V2", ["5001V1"]).credits == 0


def test_ilm_certificate_needs_its_three_units_for_13_credits() -> None:
    assert status("ILM-L5-CCMM", ["D5.01", "D5.02", "D5.03"]).met
    assert status("ILM-L5-CCMM", ["D5.01", "D5.02", "D5.03"]).credits == 13
    assert "Mandatory: still needed D5.02" in status("ILM-L5-CCMM", ["D5.01", "D5.03"]).missing


def test_every_qualification_is_met_by_all_its_units_and_not_by_none() -> None:
    for q in CAT.qualifications.values():
        every = [u for g in q.rule.groups for u in g.units]
        assert status(q.code, every).met, q.code
        assert not status(q.code, []).met, q.code


def test_tqt_matches_credit_rule() -> None:
    # One credit is ten hours of TQT: each rule's minimum credits agree with the printed TQT.
    for q in CAT.qualifications.values():
        if q.tqt:
            assert q.tqt == q.rule.min_credits * 10, q.code
