import pytest

from catalog.json_patch import PatchError, apply_patch

CASES = [
    (
        {},
        [{"op": "add", "path": "/lastModified", "value": {"time": 5}}],
        {"lastModified": {"time": 5}},
    ),
    ({"a": {"b": 1}}, [{"op": "replace", "path": "/a/b", "value": 2}], {"a": {"b": 2}}),
    ({"a": {"b": 1, "c": 2}}, [{"op": "remove", "path": "/a/b"}], {"a": {"c": 2}}),
    (
        {},
        [{"op": "add", "path": "/customProperties/k~1v", "value": "x"}],
        {"customProperties": {"k/v": "x"}},
    ),
    (
        {"tags": [{"tag": "urn:li:tag:a"}]},
        [{"op": "add", "path": "/tags/urn:li:tag:b", "value": {"tag": "urn:li:tag:b"}}],
        {"tags": [{"tag": "urn:li:tag:a"}, {"tag": "urn:li:tag:b"}]},
    ),
    (
        {"tags": [{"tag": "urn:li:tag:a"}, {"tag": "urn:li:tag:b"}]},
        [{"op": "remove", "path": "/tags/urn:li:tag:a"}],
        {"tags": [{"tag": "urn:li:tag:b"}]},
    ),
    ({"l": [1, 2]}, [{"op": "add", "path": "/l/-", "value": 3}], {"l": [1, 2, 3]}),
    ({"l": [1, 2]}, [{"op": "add", "path": "/l/0", "value": 0}], {"l": [0, 1, 2]}),
    ({"l": [1, 2]}, [{"op": "remove", "path": "/l/1"}], {"l": [1]}),
]


@pytest.mark.parametrize(("document", "operations", "expected"), CASES)
def test_apply_patch(document, operations, expected):
    before = repr(document)
    assert apply_patch(document, operations) == expected
    assert repr(document) == before  # the input is not modified


@pytest.mark.parametrize(
    "operation",
    [{"op": "move", "path": "/a", "from": "/b"}, {"op": "add", "path": "a", "value": 1}],
)
def test_unsupported_patches_are_refused(operation):
    with pytest.raises(PatchError):
        apply_patch({}, [operation])
