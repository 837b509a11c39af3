"""One regular expression for many literal strings.

Python's `re` tries the branches of a flat alternation one by one at every position, so 300
phrases cost 300 attempts per character; factoring the phrases by common prefix lets it
reject most positions after one character. Used by the provider-marker index (long pastes);
kept free of other imports.
"""

from __future__ import annotations

import re


def trie_pattern(words: list[str]) -> str:
    """One regex for many literal strings, factored by common prefix.

    Python's `re` tries the branches of a flat alternation one by one at every position, so
    300 phrases cost 300 attempts per character; a prefix trie lets it reject most positions
    after one character. Longer strings win over their own prefixes, as in a longest-first
    alternation.
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        ends_here = "" in node
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends_here:
            return f"(?:{body})?"
        return body

    return emit(trie)
