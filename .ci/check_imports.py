"""Fail when two modules of the apps import each other, directly or through others.

Every import counts, also those inside functions, except ``if TYPE_CHECKING:`` ones, which
never run. (import-linter's ``acyclic_siblings`` contract compares a package's children only,
so it misses a package's ``__init__`` in a cycle with its own submodules; hence this script.)
Usage: python .ci/check_imports.py [source directory, default: the repository]
"""

import sys
from pathlib import Path

import grimp

PACKAGES = ("matchmaking", "exchanges", "partnership")


def cycles(graph):
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = set()
            while module not in component:
                component.add(stack.pop())
            on_stack.difference_update(component)
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def main(source):
    sys.path.insert(0, str(source))
    graph = grimp.build_graph(
        *PACKAGES, include_external_packages=False, exclude_type_checking_imports=True
    )
    found = cycles(graph)
    for component in found:
        print(f"Import cycle between {len(component)} modules:")
        for importer in component:
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                if imported in component:
                    for detail in graph.get_import_details(importer=importer, imported=imported):
                        print(f"    {importer}:{detail['line_number']} imports {imported}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent.parent)))
