"""The house rules of docs/architecture.md, read from the source with `ast`.

* Dependencies run one way: each core module and each area imports only what comes before it in the dependency
  order written in docs/architecture.md (the block under "Dependency order"), so no two areas import each other,
  directly or through others.
* No import hides inside a function: every import is at the top of its module, where this test sees it.
* No module is over about 500 lines (the export builder, which other work is rewriting, excepted).
* No role is compared as a string outside thuiszitters/permissions.py: role checks ask `can(user, capability)`.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "thuiszitters"
TEMPLATES = ROOT / "templates"
ARCHITECTURE = ROOT / "docs" / "architecture.md"

# Imports inside a function, each with the reason it cannot be at the top of its module. None today.
FUNCTION_IMPORTS: dict[str, str] = {}
MAX_LINES = 520


def _order() -> list[str]:
    """The units (core modules and area packages), lowest first, from the fenced block in docs/architecture.md."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    match = re.search(r"```dependency-order\n(.*?)```", text, re.S)
    assert match, "docs/architecture.md has no ```dependency-order block"
    return [name for line in match.group(1).splitlines() for name in line.split("#")[0].split()]


ORDER = _order()
RANK = {name: index for index, name in enumerate(ORDER)}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _unit(module: str) -> str:
    """`thuiszitters.cases.views` -> "cases", `thuiszitters.clock` -> "clock", `thuiszitters` -> "__init__"."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _module_name(path: Path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(name: str) -> bool:
    return (PACKAGE / f"{name}.py").exists() or (PACKAGE / name / "__init__.py").exists()


def _imports(path: Path) -> list[tuple[str, ast.stmt]]:
    """The thuiszitters modules `path` imports (`from thuiszitters import x` counts as module thuiszitters.x)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node) for alias in node.names if alias.name.startswith("thuiszitters")]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import"
            module = node.module or ""
            if module == "thuiszitters":  # a module of the package, or a name defined in its __init__
                found += [(f"thuiszitters.{alias.name}" if _is_module(alias.name) else "thuiszitters", node)
                          for alias in node.names]
            elif module.startswith("thuiszitters."):
                found.append((module, node))
    return found


def test_every_core_module_and_area_has_its_place_in_the_order():
    units = {_unit(_module_name(path)) for path in _modules()}
    assert sorted(units - set(ORDER)) == [], "add the new module or area to the order in docs/architecture.md"
    assert sorted(set(ORDER) - units) == [], "the order in docs/architecture.md names what no longer exists"
    assert len(ORDER) == len(set(ORDER))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_go_down_the_order(path: Path):
    own = _unit(_module_name(path))
    upward = sorted({module for module, _ in _imports(path) if RANK[_unit(module)] > RANK[own]})
    assert upward == [], f"{own} may only import what comes before it in docs/architecture.md, not {upward}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_import_inside_a_function(path: Path):
    name = str(path.relative_to(ROOT))
    hidden = []
    for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            hidden += [f"line {node.lineno}" for node in ast.walk(function)
                       if isinstance(node, ast.Import | ast.ImportFrom)]
    if name in FUNCTION_IMPORTS:
        assert hidden, f"{name} no longer needs its documented function-level import"
    else:
        assert hidden == [], f"{name}: imports inside functions ({', '.join(hidden)}); import at the top"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_is_over_about_500_lines(path: Path):
    name = str(path.relative_to(ROOT))
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines: split it by concern"


ROLE_NAMES = frozenset({"coordinator", "leerplicht", "inspectie", "admin"})


def _names_a_role(node: ast.AST) -> bool:
    """A role name as a string, or a tuple, list or set of them."""
    if isinstance(node, ast.Constant):
        return node.value in ROLE_NAMES
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_names_a_role(element) for element in node.elts)
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) in {"frozenset", "set", "tuple"}:
        return any(_names_a_role(argument) for argument in node.args)
    return False


def _reads_a_role(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "role"


def _role_checks(tree: ast.AST) -> list[int]:
    """Lines that compare with a role name, or test a role against anything but another role (`a.role != b.role`:
    did the role change)."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(_names_a_role(operand) for operand in operands) or (
                    any(_reads_a_role(operand) for operand in operands)
                    and not all(_reads_a_role(operand) for operand in operands)):
                lines.append(node.lineno)
        elif isinstance(node, ast.Set | ast.Call) and _names_a_role(node):
            lines.append(node.lineno)  # a set of roles: a role check waiting to happen
    return sorted(set(lines))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_role_is_compared_outside_permissions(path: Path):
    name = str(path.relative_to(ROOT))
    if name == "thuiszitters/permissions.py":
        return
    found = _role_checks(ast.parse(path.read_text(encoding="utf-8")))
    assert found == [], f"{name} compares roles on lines {found}; ask permissions.can(user, capability)"


_TEMPLATE_ROLE = re.compile(r"\.role\b|[\"'](" + "|".join(sorted(ROLE_NAMES)) + r")[\"']")


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_looks_at_a_role(path: Path):
    """Templates show what the view allowed and the menu of permissions.MENU (the label `role_label` is fine)."""
    found = [number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if _TEMPLATE_ROLE.search(line.replace("form.role", ""))]
    assert found == [], f"{path.relative_to(ROOT)} looks at a role on lines {found}"
