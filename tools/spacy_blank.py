"""Saves the blank multi-language spaCy pipeline that SpacyNLP loads: tokenisation only, nothing downloaded."""

import sys

import spacy


def build(path: str) -> None:
    spacy.blank("xx").to_disk(path)


if __name__ == "__main__":
    build(sys.argv[1])
