#!/usr/bin/env python3
"""Checks a Python example against the Python bindings jsii-pacmak generated for cdk-failover.

No Python package of aws-cdk-lib is installed here, so the example cannot run; instead every use
of the cdk-failover module is checked against the generated module's source:
- every class, enum member, static method and property it names exists;
- every keyword argument it passes to a constructor or a method is one of its parameters, and
  every required parameter is given;
- a class decorated with @jsii.implements(<interface>) defines each of the interface's methods,
  with the same parameters.

Usage: check-python-example.py <generated cdk_failover/__init__.py> <example.py>...
Exits 1 and lists the problems when any is found.
"""
import ast
import sys


class Signature:
    """A generated method's parameters: all of them, the required keywords, the required positionals."""

    def __init__(self, fn: ast.FunctionDef):
        positional = [a.arg for a in fn.args.args if a.arg not in ('self', 'cls')]
        self.params = positional + [a.arg for a in fn.args.kwonlyargs]
        self.required_keywords = [a.arg for a, d in zip(fn.args.kwonlyargs, fn.args.kw_defaults) if d is None]
        self.required_positionals = len(positional) - len(fn.args.defaults)


def members(module: ast.Module) -> dict:
    """Class name -> {member name -> Signature (None for a property or constant)}."""
    classes = {}
    for node in module.body:
        if not isinstance(node, ast.ClassDef):
            continue
        found = {}
        for item in node.body:
            if isinstance(item, ast.FunctionDef):
                is_property = any(isinstance(d, ast.Attribute) and d.attr == 'property' for d in item.decorator_list)
                found[item.name] = None if is_property else Signature(item)
            elif isinstance(item, ast.Assign):
                for target in item.targets:
                    if isinstance(target, ast.Name):
                        found[target.id] = None
        classes[node.name] = found
    return classes


def check(example_path: str, classes: dict, module_name: str = 'cdk_failover') -> list:
    tree = ast.parse(open(example_path).read(), example_path)
    compile(tree, example_path, 'exec')
    aliases = {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names if a.name == module_name}
    problems = []

    def where(node: ast.AST) -> str:
        return f'{example_path}:{node.lineno}'

    def resolve(node: ast.AST):
        """(class, member) for `alias.Class` or `alias.Class.member`, else None."""
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            return (node.attr, None)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute):
            inner = resolve(node.value)
            if inner and inner[1] is None:
                return (inner[0], node.attr)
        return None

    # Parameters annotated with a generated type: the attributes read from them must exist.
    typed = {}
    for fn in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
        for arg in fn.args.args:
            ref = resolve(arg.annotation) if arg.annotation is not None else None
            if ref and ref[1] is None:
                typed[(fn.name, arg.arg)] = ref[0]
        for node in ast.walk(fn):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and (fn.name, node.value.id) in typed:
                cls = typed[(fn.name, node.value.id)]
                if node.attr not in classes.get(cls, {}):
                    problems.append(f'{where(node)}: {cls} has no member {node.attr}')

    for node in ast.walk(tree):
        ref = resolve(node) if isinstance(node, ast.Attribute) else None
        if ref:
            cls, member = ref
            if cls not in classes:
                problems.append(f'{where(node)}: {module_name} has no {cls}')
            elif member is not None and member not in classes[cls]:
                problems.append(f'{where(node)}: {cls} has no member {member}')
        if isinstance(node, ast.Call):
            ref = resolve(node.func)
            if ref and ref[0] in classes:
                cls, member = ref
                name = f'{cls}.{member or "__init__"}'
                sig = classes[cls].get(member or '__init__')
                if sig is not None:
                    given = [kw.arg for kw in node.keywords]
                    for kw in node.keywords:
                        if kw.arg is not None and kw.arg not in sig.params:
                            problems.append(f'{where(kw.value)}: {name} takes no keyword {kw.arg} (it takes: {", ".join(sig.params)})')
                    if None not in given:  # no **kwargs: every required parameter must be there
                        for missing in [k for k in sig.required_keywords if k not in given]:
                            problems.append(f'{where(node)}: {name} needs the keyword {missing}')
                        if len(node.args) < sig.required_positionals and not any(isinstance(a, ast.Starred) for a in node.args):
                            problems.append(f'{where(node)}: {name} needs {sig.required_positionals} positional argument(s), got {len(node.args)}')
        if isinstance(node, ast.ClassDef):
            for deco in node.decorator_list:
                if isinstance(deco, ast.Call) and isinstance(deco.func, ast.Attribute) and deco.func.attr == 'implements':
                    for interface in [resolve(a) for a in deco.args]:
                        if not interface:
                            continue
                        defined = {f.name: [a.arg for a in f.args.args if a.arg != 'self'] for f in node.body if isinstance(f, ast.FunctionDef)}
                        for method, sig in classes.get(interface[0], {}).items():
                            if sig is not None and not method.startswith('_') and defined.get(method) != sig.params:
                                problems.append(f'{where(node)}: {node.name} must define {method}({", ".join(sig.params)}) of {interface[0]}, '
                                                f'got: {defined.get(method)}')
    return problems


def main() -> int:
    generated, *examples = sys.argv[1:]
    classes = members(ast.parse(open(generated).read(), generated))
    problems = [p for example in examples for p in check(example, classes)]
    for p in problems:
        print(p)
    print(f'{len(examples)} Python example(s) checked against {len(classes)} generated classes: {len(problems)} problem(s)')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
