"""The linear intent classifier: trains, saves and loads through Rasa's model storage, ranks intents, gives an
unclaimed score a low confidence, and scores exactly as the scikit-learn pipeline it is built from."""

import numpy as np
import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.linear_intent_classifier import RANKING_LENGTH, LinearIntentClassifier, confidence, scores

EXAMPLES = {
    "greet": ["hi", "hello there", "hiya", "good morning", "hey is anyone there", "hello can you help"],
    "danger": [
        "he has a knife",
        "hes going to kill me",
        "he is here now and hitting me",
        "help hes outside the door",
        "hes got a knife",
        "he said he will kill me tonight",
    ],
    "clares_law": [
        "what is clares law",
        "can i check his past",
        "right to ask about a partner",
        "how do i find out if he has been violent before",
        "clares law",
        "disclosure scheme",
    ],
}


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    resource = Resource("intent_classifier")
    config = {**LinearIntentClassifier.get_default_config()}
    classifier = LinearIntentClassifier(config, storage, resource)
    examples = [Message({TEXT: text, INTENT: intent}) for intent, texts in EXAMPLES.items() for text in texts]
    classifier.train(TrainingData(examples))
    return LinearIntentClassifier.load(config, storage, resource, execution_context=None)


def classify(classifier, text):
    message = Message({TEXT: text})
    classifier.process([message])
    return message


def test_a_loaded_model_recognises_the_intents_it_was_trained_on(trained):
    assert classify(trained, "HE HAS GOT A KNIFE!!").get(INTENT)["name"] == "danger"
    assert classify(trained, "whats clares law").get(INTENT)["name"] == "clares_law"


def test_the_ranking_is_ordered_and_no_longer_than_its_limit(trained):
    ranking = classify(trained, "hello").get(INTENT_RANKING_KEY)
    confidences = [entry["confidence"] for entry in ranking]
    assert len(ranking) == min(RANKING_LENGTH, len(EXAMPLES)) and confidences == sorted(confidences, reverse=True)
    assert ranking[0]["name"] == "greet"


def test_a_score_no_intent_claims_falls_below_the_fallback_threshold():
    margin = LinearIntentClassifier.get_default_config()["margin"]
    assert confidence(-margin, margin) == pytest.approx(0.5)  # bot/config.yml's FallbackClassifier threshold
    assert confidence(-margin - 0.5, margin) < 0.5 < confidence(0.0, margin)


def test_scores_equal_the_pipelines_decision_function(trained):
    texts = ["hi", "he has a knife", "right to ask", "zzz", "hello what is clares law"]
    assert np.allclose(scores(trained._pipeline, texts), trained._pipeline.decision_function(texts))


def test_the_classifier_reads_every_number_alike():
    from bot.components.linear_intent_classifier import intent_text

    assert intent_text("Am 14 ani") == intent_text("am 67 ani") == "am 00 ani"
