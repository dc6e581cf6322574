"""Loading an article's YAML front matter safely: bounded in time, memory and depth.

YAML aliases let a few hundred bytes expand to billions of values ("billion laughs"); deeply
nested flow collections exhaust Python's stack. The front matter is composed into a node graph
once (linear in its text: an alias is a reference, not a copy), its expanded size is counted
with memoization, and only a graph under :data:`MAX_YAML_VALUES` values is constructed. Dates
stay text, so a bad date is a diagnostic, not a crash. Every problem is a ``source.*``
diagnostic with the line.
"""

from __future__ import annotations

from typing import Any

import yaml

from polyleaf.errors import Diagnostic, PolyleafError, error

MAX_YAML_VALUES = 10_000


class _FrontMatterLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text: a bad date becomes a diagnostic, not a crash."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def load_front(front: str, rel: str) -> tuple[Any, dict[str, int]]:
    """The front matter's data and the file line of each top-level key."""
    loader = _FrontMatterLoader(front)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        size = expanded_size(node)
        if size > MAX_YAML_VALUES:
            raise PolyleafError(error(
                rel, node.start_mark.line + 2, "source.front-matter",
                f"the front matter expands to more than {MAX_YAML_VALUES:,} values "
                "(YAML aliases)", "write the values out; front matter needs no aliases"))
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise PolyleafError(yaml_problem(exc, rel)) from None
    except RecursionError:
        raise PolyleafError(error(rel, 2, "source.too-deep",
                                  "the front matter is nested too deeply to read",
                                  "front matter is a flat list of 'field: value' lines")) from None
    finally:
        loader.dispose()
    return data, _key_lines(node)


def expanded_size(root: yaml.Node) -> int:
    """How many values the node graph holds once every alias is expanded (iterative, memoized:
    linear in the number of distinct nodes, whatever the expansion)."""
    sizes: dict[int, int] = {}
    pending: set[int] = set()  # nodes on the current path: meeting one again is a cycle
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        if not children_done and id(node) in pending:
            return MAX_YAML_VALUES + 1  # a recursive alias expands without end
        children = _children(node)
        if children_done or not children:
            sizes[id(node)] = min(1 + sum(sizes.get(id(c), 0) for c in children),
                                  MAX_YAML_VALUES + 1)
            pending.discard(id(node))
            continue
        pending.add(id(node))
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def key_lines(front: str) -> dict[str, int]:
    """The file line of each top-level key ({} when the front matter does not compose)."""
    try:
        node = yaml.compose(front, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return {}
    return _key_lines(node) if node is not None else {}


def _key_lines(node: yaml.Node) -> dict[str, int]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: k.start_mark.line + 2 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


def yaml_problem(exc: yaml.YAMLError, rel: str) -> Diagnostic:
    """One line: what the YAML parser found, where, and where the construct it was in began."""
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 2 if mark is not None else 1
    problem = getattr(exc, "problem", None) or str(exc).split("\n", 1)[0]
    context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context:
        problem += f" ({context}{f' that starts on line {start.line + 2}' if start else ''})"
    return error(rel, line, "source.front-matter", f"invalid YAML: {problem}",
                 "check indentation and quote values containing ':'")
