"""The features both classifiers read: character n-grams within words (misspellings, scripts, no diacritics) and
word unigrams and bigrams, tf-idf weighted, of the normalised text."""

from __future__ import annotations

import numpy as np
import scipy.sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, make_union


def ngram_features() -> FeatureUnion:
    return make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w[\w']*\b"),
    )


def linear_scores(union: FeatureUnion, coef: np.ndarray, intercept: np.ndarray, texts: list[str]) -> np.ndarray:
    """A fitted linear model's decision values, computed directly: the union's features, then the weights of the
    few features each message has. Going through sklearn's Pipeline and FeatureUnion checked and dispatched more
    than it computed, and `features @ coef.T` copied the whole weight matrix (labels x 150,000 features) on
    every call to make its transpose contiguous."""
    features = scipy.sparse.hstack(
        [vectorizer.transform(texts) for _, vectorizer in union.transformer_list], format="csr"
    )
    rows = [
        coef[:, features.indices[start:end]] @ features.data[start:end]
        for start, end in zip(features.indptr[:-1], features.indptr[1:])
    ]
    return np.vstack(rows) + intercept if rows else np.zeros((0, len(intercept)))
