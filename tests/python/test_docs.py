"""The examples of docs/python.md run as written."""

import pathlib
import re

import pytest

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "python.md"


def examples():
    text = DOC.read_text()
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


@pytest.mark.parametrize("index", range(len(examples())))
def test_example_runs(index, capsys):
    code = examples()[index]
    exec(compile(code, f"{DOC.name} example {index}", "exec"), {})
    if "final loss" in code:
        loss = float(re.search(r"final loss ([0-9.]+)", capsys.readouterr().out).group(1))
        assert loss < 0.1


def test_example_lengths():
    torch_example, sklearn_example = examples()[0], examples()[1]
    assert len(torch_example.strip().splitlines()) <= 20
    assert len(sklearn_example.strip().splitlines()) <= 10
