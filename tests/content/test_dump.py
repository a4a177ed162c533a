"""`python -m content dump`: the stable JSON interface other tools rely on."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_dump_has_the_documented_shape() -> None:
    done = subprocess.run([sys.executable, "-m", "content", "dump"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=True)
    doc = json.loads(done.stdout)
    assert {"units", "qualifications", "theorists", "verbs"} <= set(doc)
    assert len(doc["units"]) == 20 and len(doc["qualifications"]) == 7
    unit = next(u for u in doc["units"] if u["code"] == "5015V1")
    assert {"code", "title", "awarding_body", "level", "credits", "glh", "tut", "ofqual_ref",
            "aims", "learning_outcomes"} <= set(unit)
    ac = next(c for lo in unit["learning_outcomes"] for c in lo["criteria"] if c["ref"] == "2.3")
    assert {"ref", "text", "verb", "guidance", "theorists", "related"} <= set(ac)
    assert ac["verb"] == "explain" and ac["guidance"] and "5015V1 2.2" in ac["related"]
    assert next(u for u in doc["units"] if u["code"] == "D5.01")["code"] == "D5.01"
    schein = next(t for t in doc["theorists"] if t["name"] == "Edgar Schein")
    assert "Schein" in schein["aliases"] and "7015V1 2.1" in schein["cited_in"]
    assert all({"verb", "meaning"} <= set(v) for v in doc["verbs"])
    assert all("rule" in q and "code" in q and "title" in q for q in doc["qualifications"])
