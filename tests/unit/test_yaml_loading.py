"""Line-aware YAML loading: lines of keys and items, duplicate keys and aliases refused."""
import pytest

from kapcourse.content.yamlio import YamlSyntaxError, line_of, load_yaml


def test_lines_of_keys_and_items():
    data = load_yaml("a: 1\nb:\n  - x\n  - y: 2\n")
    assert line_of(data, ["a"]) == 1 and line_of(data, ["b", 1]) == 4 and line_of(data, ["b", 1, "y"]) == 4


@pytest.mark.parametrize("text, line, message", [
    ("a: 1\na: 2\n", 2, "duplicate key 'a'"),
    ("a: &x [1]\nb: *x\n", 2, "aliases"),
    ("base: &b {k: 1}\nc:\n  <<: *b\n", 3, "merge keys"),
    ("a: [1\n", 2, "malformed YAML"),
])
def test_refused_yaml(text, line, message):
    with pytest.raises(YamlSyntaxError) as caught:
        load_yaml(text)
    assert caught.value.line == line and message in caught.value.message


def test_billion_laughs_is_refused_quickly():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i-1}'] * 10)}]" for i in range(1, 9)]
    with pytest.raises(YamlSyntaxError):
        load_yaml("\n".join(lines) + "\n")
