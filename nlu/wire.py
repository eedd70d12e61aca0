"""The keys of a parse as the classifier writes them and the client reads them: one spelling for
both sides. Where Rasa names a key, the value is Rasa's (`rasa.shared.nlu.constants` and
`rasa.nlu.constants`; a test in Rasa's environment holds them equal). Free of imports, because
the classifier imports it inside Rasa's environment (Python 3.10) and the app in its own."""

# Rasa's names.
INTENT = "intent"
INTENT_NAME = "name"
CONFIDENCE = "confidence"
INTENT_RANKING = "intent_ranking"
INTENT_RESPONSE_KEY = "intent_response_key"
RESPONSE_SELECTOR = "response_selector"
RESPONSE_SELECTOR_RESPONSE = "response"
RESPONSE_SELECTOR_RANKING = "ranking"
RESPONSE_SELECTOR_RETRIEVAL_INTENTS = "all_retrieval_intents"
RESPONSE_SELECTOR_UTTER_ACTION = "utter_action"
RESPONSE_SELECTOR_RESPONSES = "responses"
FALLBACK_INTENT = "nlu_fallback"

# This project's.
# The one retrieval intent: every FAQ is a key `faq/<slug>` under it.
RETRIEVAL_INTENT = "faq"
# Cosine between the message and the nearest training example of the label chosen.
LABEL_SIMILARITY = "label_similarity"
# Whether the message needed the sentence encoder (the benchmarks read it).
ENCODER_USED = "encoder_used"
