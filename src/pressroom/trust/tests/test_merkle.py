"""RFC 9162 hashing and proofs, checked against the RFC 6962 test vectors published with
Certificate Transparency (the leaves below and the root of each tree size 1..8)."""

import pytest

from pressroom.trust import merkle
from pressroom.trust.offline import verify_consistency, verify_inclusion

LEAVES = [bytes.fromhex(h) for h in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                     "606162636465666768696a6b6c6d6e6f"]]
ROOTS = ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
         "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
         "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
         "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
         "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
         "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
         "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
         "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"]
INCLUSION = {(0, 8): ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"],
             (5, 8): ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]}
CONSISTENCY = {(2, 8): ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"],
               (6, 8): ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],
               (2, 5): ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]}

HASHES = [merkle.leaf_hash(d) for d in LEAVES]
TREE = merkle.list_subtree(HASHES)


def test_roots_are_rfc6962s():
    assert merkle.mth(TREE, 0, 0).hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    for n in range(1, 9):
        assert merkle.mth(TREE, 0, n).hex() == ROOTS[n - 1], n


@pytest.mark.parametrize("index,size", list(INCLUSION))
def test_inclusion_proofs_are_rfc6962s(index, size):
    path = merkle.inclusion_path(TREE, index, size)
    assert [h.hex() for h in path] == INCLUSION[(index, size)]
    assert verify_inclusion(index, size, HASHES[index], path, bytes.fromhex(ROOTS[size - 1]))


@pytest.mark.parametrize("first,second", list(CONSISTENCY))
def test_consistency_proofs_are_rfc6962s(first, second):
    path = merkle.consistency_path(TREE, first, second)
    assert [h.hex() for h in path] == CONSISTENCY[(first, second)]
    assert verify_consistency(first, second, bytes.fromhex(ROOTS[first - 1]),
                              bytes.fromhex(ROOTS[second - 1]), path)


def test_every_proof_of_every_small_tree_verifies_and_a_wrong_one_does_not():
    leaves = [merkle.leaf_hash(bytes([i, i * 7 % 256])) for i in range(40)]
    tree = merkle.list_subtree(leaves)
    roots = [merkle.mth(tree, 0, n) for n in range(41)]
    for n in range(1, 41):
        for i in range(n):
            path = merkle.inclusion_path(tree, i, n)
            assert verify_inclusion(i, n, leaves[i], path, roots[n])
            assert not verify_inclusion(i, n, leaves[(i + 1) % 40], path, roots[n]) or n == 1 and False
            if n > 1:
                assert not verify_inclusion((i + 1) % n, n, leaves[i], path, roots[n])
        for m in range(1, n + 1):
            path = merkle.consistency_path(tree, m, n)
            assert verify_consistency(m, n, roots[m], roots[n], path), (m, n)
            if m < n:
                assert not verify_consistency(m, n, roots[m - 1] if m > 1 else b"x" * 32, roots[n], path)
