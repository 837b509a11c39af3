"""The knowledge base loads, every entry is complete, and the checklist is covered."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.kb.loader import KnowledgeBaseError, _load_basic, load
from bot.kb.markers import find_markers

PROVIDER_IDS = {
    "Google": "google",
    "Microsoft": "microsoft",
    "Yahoo": "yahoo",
    "Apple": "apple",
    "Mimecast": "mimecast",
    "Proofpoint": "proofpoint",
    "Barracuda": "barracuda",
    "Cisco": "cisco",
    "Spamhaus": "spamhaus",
}


@pytest.fixture(scope="module")
def checklist(shared_dir: Path) -> dict:
    return json.loads((shared_dir / "reference" / "codes.json").read_text())


def test_every_basic_code_is_covered(checklist: dict) -> None:
    kb = load()
    missing = [c["code"] for c in checklist["basic"] if c["code"] not in kb.basic]
    assert missing == []
    for entry in checklist["basic"]:
        assert kb.basic[entry["code"]].status == entry["status"]


def test_every_enhanced_code_is_covered_for_its_classes(checklist: dict) -> None:
    kb = load()
    for entry in checklist["enhanced"]:
        code = kb.enhanced.get(entry["code"])
        assert code is not None, entry["code"]
        assert set(entry["classes"]) <= set(code.classes), entry["code"]


def test_structure_covers_every_class_and_subject(checklist: dict) -> None:
    kb = load()
    for entry in checklist["enhanced_structure"]["class_subcodes"]:
        assert entry["code"][0] in kb.enhanced_classes
    for entry in checklist["enhanced_structure"]["subject_subcodes"]:
        assert entry["code"].split(".")[1] in kb.subjects
    assert set(kb.basic_classes) == {"2", "3", "4", "5"}


def test_every_provider_item_is_recognised(checklist: dict) -> None:
    """Pasting a provider's reply as the checklist quotes it finds that provider's marker."""
    missed = []
    for item in checklist["provider"]:
        expected = PROVIDER_IDS[item["provider"].split()[0]]
        text = f"{item['basic']} {item['enhanced']} {item['marker']}"
        found = {m.provider.id for m in find_markers(text)}
        if expected not in found:
            missed.append(text[:90])
    assert missed == []


def test_entries_are_complete_and_well_formed() -> None:
    kb = load()
    for entry in [*kb.basic.values(), *kb.enhanced.values(), *kb.markers]:
        text = entry.text
        assert text.summary and text.description and text.when, entry
        assert text.causes and text.fix_sender and text.fix_admin, entry
        assert entry.references, entry
        for ref in entry.references:
            assert ref.url.startswith("https://"), ref
    for code in kb.basic.values():
        assert code.retry == {"2": "n/a", "3": "n/a", "4": "yes", "5": "no"}[code.class_digit]
    rfc = re.compile(r"^https://www\.rfc-editor\.org/rfc/rfc\d+(#(section|appendix)-[\w.]+)?$")
    for code in kb.basic.values():
        assert any(rfc.match(r.url) for r in code.references), code.code


def test_related_codes_are_well_formed() -> None:
    kb = load()
    pattern = re.compile(r"^([2-5]\d\d|[245X]\.\d{1,3}\.\d{1,3})$")
    for entry in [*kb.basic.values(), *kb.enhanced.values()]:
        for related in entry.related:
            assert pattern.match(related), (entry.code, related)


def _basic_entry(**changes: object) -> dict:
    entry = {
        "code": "250",
        "name": "OK",
        "status": "standard",
        "stages": ["MAIL"],
        "retry": "n/a",
        "bounce": "none",
        "summary": "s",
        "description": "d",
        "when": "w",
        "causes": ["c"],
        "fix_sender": ["f"],
        "fix_admin": ["a"],
        "references": ["RFC 5321 §4.2.3"],
    }
    entry.update(changes)
    return {k: v for k, v in entry.items() if v is not None}


def test_a_well_formed_entry_loads() -> None:
    loaded = _load_basic({"code": [_basic_entry()]})
    assert loaded["250"].references[0].url.endswith("rfc5321#section-4.2.3")


def test_validation_rejects_an_incomplete_entry() -> None:
    with pytest.raises(KnowledgeBaseError, match="fix_admin"):
        _load_basic({"code": [_basic_entry(fix_admin=None)]})


def test_validation_rejects_a_bad_reference() -> None:
    with pytest.raises(KnowledgeBaseError, match="reference"):
        _load_basic({"code": [_basic_entry(references=["see the RFC"])]})


def test_validation_rejects_unknown_values() -> None:
    for change in ({"retry": "maybe"}, {"stages": ["LUNCH"]}, {"code": "650"}, {"summary": ""}):
        with pytest.raises(KnowledgeBaseError):
            _load_basic({"code": [_basic_entry(**change)]})
    with pytest.raises(KnowledgeBaseError, match="longer"):
        _load_basic({"code": [_basic_entry(summary="x" * 500)]})


def test_every_bounce_reason_is_described(shared_dir: Path) -> None:
    kb = load()
    readme = (shared_dir / "corpus" / "README.md").read_text()
    readme = readme.split("### Sisimai 5 reason names", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `([a-z]+)` \|", readme, re.MULTILINE))
    assert len(listed) == 34
    assert set(kb.reasons) == listed
    for info in kb.reasons.values():
        assert info.failure == (info.name not in ("delivered", "feedback", "vacation"))
        for code in info.typical_codes:
            if "." in code:
                _, subject, detail = code.split(".")
                assert f"X.{subject}.{detail}" in kb.enhanced, (info.name, code)
            else:
                assert code in kb.basic, (info.name, code)
