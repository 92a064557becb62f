"""The class split on the pure engine: which classes are refused and why, how methods are
grouped and written, and the checks that compare a split class with its original."""

from __future__ import annotations

import ast

import pytest

from modularize.agents.engine import EngineConfig, Refusal, plan_split, split
from modularize.agents.engine.classcheck import member_problems, mixin_problems
from modularize.agents.engine.classsplit import expand_classes

CONFIG = EngineConfig(module="pkg.big", threshold=60)


def _methods(prefix: str, count: int, body: str = "return {i}") -> str:
    return "".join(
        f"    def {prefix}{i}(self):\n        x = {i}\n        {body.format(i=i)}\n\n"
        for i in range(count)
    )


def _big(header: str, head: str = "", tail: str = "", before: str = "") -> str:
    return f"{before}{header}\n    '''Big.'''\n\n{head}{_methods('visit_', 12)}{_methods('to_', 8)}{tail}"


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        pytest.param(
            _big("class Big(metaclass=Meta):", before="class Meta(type):\n    pass\n\n\n"),
            "class keyword `metaclass=Meta`",
            id="metaclass",
        ),
        pytest.param(
            _big("@register\nclass Big:", before="def register(c):\n    return c\n\n\n"),
            "decorated with @register",
            id="class-decorator",
        ),
        pytest.param(_big("@dataclass\nclass Big:"), "decorated with @dataclass", id="dataclass"),
        pytest.param(_big("class Big(enum.Enum):"), "an Enum", id="enum"),
        pytest.param(_big("class Big(NamedTuple):"), "a NamedTuple", id="namedtuple"),
        pytest.param(_big("class Big(t.Protocol):"), "a Protocol", id="protocol"),
        pytest.param(
            _big(
                "class Big(Plugin):",
                before="class Plugin:\n    def __init_subclass__(cls):\n        pass\n\n\n",
            ),
            "its base `Plugin` defines `__init_subclass__`",
            id="init-subclass",
        ),
        pytest.param(
            _big("class Big:", tail="    def names(self):\n        return list(Big.__dict__)\n"),
            "`names` reads a class `__dict__`",
            id="class-dict",
        ),
    ],
)
def test_classes_whose_namespace_matters_are_refused_with_the_blocker(source, reason):
    expansion = expand_classes(source, CONFIG)
    assert expansion.source == source
    [refusal] = expansion.refusals
    assert refusal.name == "Big" and reason in refusal.reason


def test_prefix_groups_become_named_mixins_and_the_class_keeps_its_place():
    source = _big("class Big(Base):", before="class Base:\n    pass\n\n\n")
    expansion = expand_classes(source, CONFIG)
    [split_] = expansion.splits
    # the most cohesive group moves first, until the class fits
    assert [m.name for m in split_.mixins] == ["_BigVisitors", "_BigConversions"]
    assert split_.mixins[0].methods == tuple(f"visit_{i}" for i in range(10))
    tree = ast.parse(expansion.source)
    big = next(s for s in tree.body if isinstance(s, ast.ClassDef) and s.name == "Big")
    assert [ast.unparse(b) for b in big.bases][-1] == "Base"
    assert ast.get_docstring(big) == "Big."


def test_what_must_stay_stays_and_setters_move_with_their_property():
    head = (
        "    def __init__(self):\n        self.__n = self.__visit_make()\n\n"
        "    def __visit_make(self):\n        return 1\n\n"
        "    @property\n    def n(self):\n        return self.__n\n\n"
        "    def run(self):\n        return __class__\n\n"
    )
    tail = "    @n.setter\n    def n(self, v):\n        self.__n = v\n\n    alias = to_0\n"
    expansion = expand_classes(_big("class Big:", head, tail), CONFIG)
    text = expansion.source
    big = text[text.index("class Big") :]
    assert "def __init__" in big and "return __class__" in big and "alias = to_0" in big
    assert "def to_0" in big  # the class body reads it
    assert "def _Big__visit_make(self)" in text  # mangled as Python read it in the class
    prop = text.index("def n(self)")
    assert text.index("@n.setter") > prop and "class " not in text[prop : text.index("@n.setter")]


def test_moved_super_calls_name_their_mixin():
    # naming the class would make the mixin's module import the class's module back
    head = "    def visit_text(self):\n        return super().render()\n\n"
    expansion = expand_classes(_big("class Big(Base):", head=head), CONFIG)
    assert "super(_BigVisitors, self).render()" in expansion.source


def test_methods_the_class_reaches_past_with_super_stay_in_the_class():
    # in a mixin, super() from the class would find them instead of the base's version
    head = "    def visit_text(self):\n        return super().visit_text()\n\n"
    tail = "    def read(self):\n        s = super(Big, self)\n        return s.to_0()\n"
    expansion = expand_classes(_big("class Big(Base):", head=head, tail=tail), CONFIG)
    big = expansion.source[expansion.source.index("class Big(") :]
    assert "def visit_text" in big and "def to_0" in big


def test_the_fold_check_finds_a_method_lost_or_changed_in_a_mixin():
    source = _big("class Big:")
    files = split(source, plan_split(source, CONFIG), CONFIG)
    assert mixin_problems(source, files) == []
    broken = {
        rel: text.replace("x = 3\n", "x = 4\n", 1) if "class _Big" in text else text
        for rel, text in files.items()
    }
    assert any("`def visit_3` lost" in p for p in mixin_problems(source, broken))


@pytest.mark.parametrize(
    ("after", "problem"),
    [
        pytest.param({"f": "function f(self)"}, None, id="same"),
        pytest.param({"f": "function f(self, x)"}, "Big.f was function f(self)", id="signature"),
        pytest.param({}, "pkg.big.Big.f is missing", id="missing"),
    ],
)
def test_member_snapshots_compare_every_attribute(after, problem):
    before = {"members": {"Big": {"f": "function f(self)", "__module__": "str 'pkg.big'"}}}
    found = member_problems("pkg.big", before, {"members": {"Big": after}})
    assert found == ([] if problem is None else [p for p in found if problem in p])
    assert (problem is None) == (found == [])


def test_a_split_leaving_a_module_over_the_limit_is_refused_with_its_largest_unit():
    source = _big("@dataclass\nclass Big:")
    with pytest.raises(Refusal, match=r"over 60\); its largest unit, class `Big`.*@dataclass"):
        plan_split(source, CONFIG)


def test_a_long_base_list_is_written_one_base_a_line():
    name = "ConfigurationLoaderForTemplates"
    expansion = expand_classes(_big(f"class {name}:"), CONFIG)
    assert f"class {name}(\n    _{name}Visitors,\n    _{name}Conversions,\n):\n" in (
        expansion.source
    )


def _sibling_graph(files: dict) -> dict[str, set[str]]:
    """Generated module -> siblings it imports at run time (TYPE_CHECKING blocks left out)."""
    graph: dict[str, set[str]] = {}
    for rel, text in files.items():
        tree = ast.parse(text)
        typing = {
            id(n)
            for node in tree.body
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for n in ast.walk(node)
        }
        graph[rel.stem] = {
            node.module.split(".")[0] if node.module else alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.level == 1 and id(node) not in typing
            for alias in node.names
        }
    return graph


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = set(), list(graph.get(start, ()))
    while todo:
        mod = todo.pop()
        if mod == goal:
            return True
        if mod not in seen:
            seen.add(mod)
            todo += graph.get(mod, ())
    return False


def test_methods_reading_the_class_stay_in_it_and_no_mixin_imports_it_back():
    # to_copy calls Big, visit_doc's example builds one, to_base names it for super(): in a
    # mixin each would import the class's module, which imports the mixin (a cycle)
    head = (
        "    def visit_doc(self):\n        '''>>> Big().visit_doc()\n        1\n        '''\n"
        "        return 1\n\n    def to_copy(self):\n        return Big()\n\n"
        "    def to_base(self):\n        return super(Big, self).__repr__()\n\n"
    )
    source = _big("class Big:", head=head)
    expansion = expand_classes(source, CONFIG)
    big = expansion.source[expansion.source.index("class Big(") :]
    assert "def visit_doc" in big and "def to_copy" in big
    assert "def to_base" not in big  # it may move: super() names its mixin there
    assert "super(_BigConversions, self).__repr__()" in expansion.source
    files = split(source, plan_split(source, CONFIG), CONFIG)
    graph = _sibling_graph({rel: text for rel, text in files.items() if rel.stem != "__init__"})
    assert not [m for m in graph if _reaches(graph, m, m)], graph
