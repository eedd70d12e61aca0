"""The keys the classifier writes and the client reads are Rasa's own where Rasa names them."""

from __future__ import annotations

import json
import subprocess

from nlu import runtime, wire
from shared.settings import Settings

# wire's name -> Rasa's module and name, read inside Rasa's environment.
SHARED, NLU = "rasa.shared.nlu.constants", "rasa.nlu.constants"
RASA_NAMES = {
    "INTENT": f"{SHARED}.INTENT",
    "INTENT_NAME": f"{SHARED}.INTENT_NAME_KEY",
    "CONFIDENCE": f"{SHARED}.PREDICTED_CONFIDENCE_KEY",
    "INTENT_RANKING": f"{SHARED}.INTENT_RANKING_KEY",
    "INTENT_RESPONSE_KEY": f"{SHARED}.INTENT_RESPONSE_KEY",
    "RESPONSE_SELECTOR": f"{SHARED}.RESPONSE_SELECTOR",
    "RESPONSE_SELECTOR_RESPONSE": f"{NLU}.RESPONSE_SELECTOR_PREDICTION_KEY",
    "RESPONSE_SELECTOR_RANKING": f"{NLU}.RESPONSE_SELECTOR_RANKING_KEY",
    "RESPONSE_SELECTOR_RETRIEVAL_INTENTS": f"{NLU}.RESPONSE_SELECTOR_RETRIEVAL_INTENTS",
    "RESPONSE_SELECTOR_UTTER_ACTION": f"{NLU}.RESPONSE_SELECTOR_UTTER_ACTION_KEY",
    "RESPONSE_SELECTOR_RESPONSES": f"{NLU}.RESPONSE_SELECTOR_RESPONSES_KEY",
    "FALLBACK_INTENT": "rasa.shared.constants.DEFAULT_NLU_FALLBACK_INTENT_NAME",
}

READ = """
import importlib, json, sys
names = json.loads(sys.argv[1])
values = {}
for ours, theirs in names.items():
    module, name = theirs.rsplit(".", 1)
    values[ours] = getattr(importlib.import_module(module), name)
print(json.dumps(values))
"""


def test_rasa_spells_each_key_as_we_do(settings: Settings) -> None:
    python = runtime.venv_dir(settings) / "bin" / "python"
    out = subprocess.run(
        [str(python), "-c", READ, json.dumps(RASA_NAMES)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rasa = json.loads(out)
    assert rasa == {name: getattr(wire, name) for name in RASA_NAMES}
