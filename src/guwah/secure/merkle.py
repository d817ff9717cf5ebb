"""The Merkle tree of RFC 6962 (section 2.1) over the audit log's entry hashes.

A leaf is ``SHA-256(0x00 || entry hash)``, a node ``SHA-256(0x01 || left || right)``;
a tree of ``n`` leaves splits at the largest power of two below ``n``. Such a tree's
root is the fold, from the right, of its perfect subtrees (sizes the binary digits of
``n``, largest first): that list, the *frontier*, is all that needs keeping to add
leaves and to get the root at any size, which is how the log keeps its tree.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

_sha256 = hashlib.sha256
EMPTY_ROOT = _sha256(b"").digest()


def leaf_hash(entry_hash: bytes) -> bytes:
    return _sha256(b"\x00" + entry_hash).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return _sha256(b"\x01" + left + right).digest()


def perfect_root(leaves: Sequence[bytes]) -> bytes:
    """The root of a perfect subtree (a power-of-two number of leaf hashes), level by level."""
    level = list(leaves)
    while len(level) > 1:
        pairs = zip(level[::2], level[1::2], strict=True)
        level = [_sha256(b"\x01" + a + b).digest() for a, b in pairs]
    return level[0]


def root_of(entry_hashes: Sequence[bytes]) -> bytes:
    """The tree root over these entry hashes, straight from the RFC's definition."""
    if not entry_hashes:
        return EMPTY_ROOT
    if len(entry_hashes) == 1:
        return leaf_hash(entry_hashes[0])
    split = 1 << ((len(entry_hashes) - 1).bit_length() - 1)
    return node_hash(root_of(entry_hashes[:split]), root_of(entry_hashes[split:]))


def subtree_sizes(size: int) -> list[int]:
    """The sizes of the perfect subtrees of a tree of ``size`` leaves, largest first."""
    return [1 << bit for bit in range(size.bit_length() - 1, -1, -1) if size >> bit & 1]


class Tree:
    """A growing tree held as its frontier: ``extend`` adds entry hashes, ``root`` is O(log n)."""

    def __init__(self, size: int = 0, frontier: Sequence[bytes] = ()) -> None:
        if len(frontier) != bin(size).count("1"):
            raise ValueError("a frontier needs one hash per binary digit 1 of the size")
        self.size = size
        self.frontier = list(frontier)

    def root(self) -> bytes:
        if not self.frontier:
            return EMPTY_ROOT
        root = self.frontier[-1]
        for subtree in reversed(self.frontier[:-1]):
            root = node_hash(subtree, root)
        return root

    def append(self, entry_hash: bytes) -> None:
        self._push(1, leaf_hash(entry_hash))

    def extend(self, entry_hashes: Sequence[bytes]) -> None:
        """Add many leaves: whole aligned blocks are hashed level by level (fast)."""
        leaves = [_sha256(b"\x00" + e).digest() for e in entry_hashes]
        start = 0
        while start < len(leaves):
            left = len(leaves) - start
            block = self.size & -self.size or 1 << (left.bit_length() - 1)
            while block > left:
                block >>= 1
            self._push(block, perfect_root(leaves[start : start + block]))
            start += block

    def _push(self, block: int, subtree: bytes) -> None:
        size = self.size
        self.size += block
        while size & block:  # the last perfect subtree has this size: join them
            subtree = node_hash(self.frontier.pop(), subtree)
            size -= block
            block <<= 1
        self.frontier.append(subtree)

    def join(self, span: Span) -> Tree:
        """The tree of these leaves followed by the span's (which must start right here)."""
        if span.start != self.size:
            raise ValueError("the span does not start where the tree ends")
        joined = Tree(self.size, self.frontier)
        for block, subtree in span.pieces:
            joined._push(block, subtree)
        return joined

    def frontier_text(self) -> str:
        return ",".join(h.hex() for h in self.frontier)

    @classmethod
    def from_text(cls, size: int, text: str) -> Tree:
        return cls(size, [bytes.fromhex(h) for h in text.split(",") if h])


class Span:
    """The perfect subtrees covering leaves ``start`` to ``end`` of a larger tree, left to
    right (a *compact range*): a part of the log hashed on its own, in another process,
    and joined to the tree of what comes before it with ``Tree.join``."""

    def __init__(self, start: int) -> None:
        self.start = self.end = start
        self.pieces: list[tuple[int, bytes]] = []  # (leaves, root), left to right

    def extend(self, entry_hashes: Sequence[bytes]) -> None:
        leaves = [_sha256(b"\x00" + e).digest() for e in entry_hashes]
        done = 0
        while done < len(leaves):
            left = len(leaves) - done
            block = self.end & -self.end or 1 << (left.bit_length() - 1)
            while block > left:
                block >>= 1
            self._push(block, perfect_root(leaves[done : done + block]))
            done += block

    def _push(self, block: int, subtree: bytes) -> None:
        position = self.end
        self.end += block
        # join the piece before when both are halves of one aligned subtree in this span
        while self.pieces and self.pieces[-1][0] == block and (position - block) % (2 * block) == 0:
            subtree = node_hash(self.pieces.pop()[1], subtree)
            position -= block
            block *= 2
        self.pieces.append((block, subtree))


def inclusion_proof(entry_hashes: Sequence[bytes], index: int) -> list[bytes]:
    """The audit path of leaf ``index`` (RFC 6962 section 2.1.1), bottom first."""
    if not 0 <= index < len(entry_hashes):
        raise ValueError("no such leaf")
    if len(entry_hashes) == 1:
        return []
    split = 1 << ((len(entry_hashes) - 1).bit_length() - 1)
    if index < split:
        return [*inclusion_proof(entry_hashes[:split], index), root_of(entry_hashes[split:])]
    return [*inclusion_proof(entry_hashes[split:], index - split), root_of(entry_hashes[:split])]


def root_from_inclusion(entry_hash: bytes, index: int, size: int, path: Sequence[bytes]) -> bytes:
    """The root an inclusion proof leads to (RFC 9162 section 2.1.3.2); compare it with a
    signed root to check that the entry is in that tree."""
    if not 0 <= index < size:
        raise ValueError("no such leaf")
    fn, sn, node = index, size - 1, leaf_hash(entry_hash)
    for sibling in path:
        if sn == 0:
            raise ValueError("the proof is too long")
        if fn & 1 or fn == sn:
            node = node_hash(sibling, node)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            node = node_hash(node, sibling)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ValueError("the proof is too short")
    return node
