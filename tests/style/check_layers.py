#!/usr/bin/python3
"""Fails when a C++ #include crosses the layers written in layers.txt.

Every project include ("folder/file.h" resolved against the repository root,
or a generated proto) is mapped to the folder that holds it; that folder must
be the including file's own or one below it: reachable through the arrows of
layers.txt. The table itself must have no cycle, so no chain of includes can
lead back up.

Usage: check_layers.py [ROOT]   (ROOT defaults to the repository root)
"""
import os
import re
import sys

# Both forms: a project header named in <...> is still a project header.
INCLUDE = re.compile(r'^\s*#\s*include\s+(?:"([^"]+)"|<([^>]+)>)', re.M)
CODE_SUFFIXES = ('.h', '.cc', '.hpp', '.cpp', '.inc', '.ipp')
# Generated protos are included by their proto path, not by a folder of ours.
PROTO_PREFIXES = ('aws/', 'awsgw/', 'google/rpc/', 'proto/')


def read_table(path):
    """Returns {folder: set(allowed folders)}; raises ValueError naming the line."""
    table = {}
    with open(path) as f:
        for number, line in enumerate(f, 1):
            line = line.split('#', 1)[0].split()
            if not line:
                continue
            folder, allowed = line[0], [a for a in line[1:] if a != '-']
            if folder in table:
                raise ValueError(f'{path}:{number}: {folder} listed twice')
            table[folder] = set(allowed)
    for folder, allowed in table.items():
        for a in allowed:
            if a not in table:
                raise ValueError(f'{path}: {folder} may include {a}, which has no line')
    return table


def find_cycle(table):
    """A list of folders forming a cycle, or None."""
    state = {}

    def visit(node, stack):
        state[node] = 'open'
        stack.append(node)
        for nxt in sorted(table[node]):
            if state.get(nxt) == 'open':
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                cycle = visit(nxt, stack)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 'done'
        return None

    for node in sorted(table):
        if node not in state:
            cycle = visit(node, [])
            if cycle:
                return cycle
    return None


def below(table):
    """{folder: every folder reachable from it through the table's arrows}."""
    closure = {}

    def reach(node):
        if node not in closure:
            closure[node] = set()
            for nxt in table[node]:
                closure[node] |= {nxt} | reach(nxt)
        return closure[node]

    for node in table:
        reach(node)
    return closure


def folder_of_include(include, including_dir, root):
    """The project folder holding `include`, or None for an external header.

    Resolved as the compiler would: next to the including file first, then
    from the repository root (the one -I of the project's own code)."""
    if include.startswith(PROTO_PREFIXES):
        return 'proto'
    for base in (including_dir, root):
        path = os.path.normpath(os.path.join(base, include))
        if os.path.isfile(path):
            rel = os.path.relpath(path, root)
            if rel.startswith('..'):
                return None  # outside the repository
            return os.path.dirname(rel)
    return None


def rule_for(folder, table):
    """The folders a folder holding code may include, or None without a rule."""
    if folder in table:
        return table[folder]
    if folder.startswith('tests/'):
        mirrored = folder[len('tests/'):]
        if mirrored in table:
            under_test = {mirrored} | table[mirrored]
            # and the test support of the tests of what is below
            return under_test | {'tests/' + b for b in under_test}
    return None


def check(root):
    errors = []
    table = read_table(os.path.join(root, 'layers.txt'))
    cycle = find_cycle(table)
    if cycle:
        return 0, ['layers.txt has a cycle: ' + ' -> '.join(cycle)]
    table = below(table)
    checked = 0
    for top in sorted(os.listdir(root)):
        # Build trees live at the top (.gitignore: /build*/).
        if top.startswith(('.', 'build')) or not os.path.isdir(os.path.join(root, top)):
            continue
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith('.') and d != 'node_modules')
            folder = os.path.relpath(dirpath, root)
            code = sorted(f for f in filenames if f.endswith(CODE_SUFFIXES))
            if not code or folder == 'proto' or folder.startswith('proto/'):
                continue
            allowed = rule_for(folder, table)
            if allowed is None:
                errors.append(f'{folder}: holds C++ but has no line in layers.txt')
                continue
            for name in code:
                path = os.path.join(dirpath, name)
                with open(path, errors='replace') as f:
                    text = f.read()
                checked += 1
                for match in INCLUDE.finditer(text):
                    include = match.group(1) or match.group(2)
                    target = folder_of_include(include, dirpath, root)
                    if target is None or target == folder or target in allowed:
                        continue
                    line = text.count('\n', 0, match.start()) + 1
                    errors.append(f'{os.path.relpath(path, root)}:{line}: includes "{include}" '
                                  f'({target}), which layers.txt does not allow {folder}')
    return checked, errors


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..')
    root = os.path.abspath(root)
    try:
        checked, errors = check(root)
    except (OSError, ValueError) as e:
        print(f'check_layers: {e}', file=sys.stderr)
        return 1
    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        print(f'check_layers: {len(errors)} include(s) against layers.txt', file=sys.stderr)
        return 1
    print(f'check_layers: {checked} files follow layers.txt')
    return 0


if __name__ == '__main__':
    sys.exit(main())
