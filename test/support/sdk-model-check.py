"""Checks Step Functions AWS SDK tasks against botocore's API models (test-only, offline).

Reads a JSON list of tasks on stdin, each {state, service, action, parameters, retry, catch}
as produced by test/support/state-machines.ts `sdkTasks`, and prints a JSON list of problems.
Step Functions' rules encoded here (docs/aws-facts.md#fis-and-drs, the SDK integrations row, and
https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html):
- the Resource names the service in lower case and the action in camelCase;
- parameters are the API's member names in PascalCase, even where the API uses camelCase;
- an SDK error is named `ServiceName.ErrorName`, both PascalCase, and always ends in `Exception`
  (even where the API reference names it without the suffix). The exact name after the prefix is
  not checked: how Step Functions renames a model's error (`...Fault`) is not documented.
Cost: about 0.5 s to start Python and botocore, then a few ms per task.
"""
import gzip
import json
import os
import re
import sys

import botocore.session
from botocore.validate import ParamValidator

session = botocore.session.get_session()
loader = session.get_component('data_loader')
_ids = None  # botocore service name -> serviceId, read only when a name does not match directly


def service_ids():
    """serviceId of every botocore service, read from the head of each model file (~0.3 s)."""
    global _ids
    if _ids is None:
        _ids = {}
        for name in loader.list_available_services('service-2'):
            version = loader.determine_latest_version(name, 'service-2')
            for base in loader.search_paths:
                for ext, opener in (('.json.gz', gzip.open), ('.json', open)):
                    path = os.path.join(base, name, version, 'service-2' + ext)
                    if name not in _ids and os.path.exists(path):
                        with opener(path, 'rt') as f:
                            found = re.search(r'"serviceId"\s*:\s*"([^"]+)"', f.read(4000))
                        _ids[name] = found.group(1) if found else name
    return _ids


def botocore_service(sfn_name):
    """The botocore service whose serviceId, without spaces and lower-cased, is the SFN name."""
    names = loader.list_available_services('service-2')
    if sfn_name in names and squash(session.get_service_model(sfn_name).service_id) == sfn_name:
        return sfn_name
    for name, service_id in service_ids().items():
        if squash(service_id) == sfn_name:
            return name
    return None


def squash(service_id):
    return str(service_id).replace(' ', '').replace('-', '').lower()


def error_prefix(service_id):
    """PascalCase of the serviceId, word by word (`ACM PCA` -> `AcmPca`, `DynamoDB` -> `DynamoDb`).

    The docs give the rule (PascalCase) and the `AcmPca` example; splitting words at case changes
    is our reading of it, confirmed for the all-caps and single-word ids the runbooks use.
    """
    words = re.findall(r'[A-Z]+(?![a-z])[0-9]*|[A-Z]?[a-z]+[0-9]*|[0-9]+|[A-Z]', str(service_id).replace('-', ' '))
    return ''.join(w[0].upper() + w[1:].lower() for w in words)


def pascal(member):
    return member[0].upper() + member[1:]


def check_value(value, shape, where, problems):
    """Unknown/missing members at any depth of a static value, then the leaf's type and enum."""
    if shape.type_name == 'structure':
        if not isinstance(value, dict):
            problems.append(f'{where}: expected an object ({shape.name}), got {json.dumps(value)}')
            return
        by_key = {pascal(m): m for m in shape.members}
        given = set()
        for key, sub in value.items():
            dynamic = key.endswith('.$')  # a JSONPath: present, its value unknown until run time
            name = key[:-2] if dynamic else key
            member = by_key.get(name)
            if member is None:
                hint = f' (Step Functions wants `{pascal(name)}`)' if pascal(name) in by_key else ''
                allowed = ', '.join(sorted(by_key))
                problems.append(f'{where}.{name}: unknown member{hint}; {shape.name} has: {allowed}')
                continue
            given.add(member)
            if not dynamic:
                check_value(sub, shape.members[member], f'{where}.{name}', problems)
        for member in shape.required_members:
            if member not in given:
                problems.append(f'{where}.{pascal(member)}: missing required member')
    elif shape.type_name == 'list':
        if not isinstance(value, list):
            problems.append(f'{where}: expected a list, got {json.dumps(value)}')
            return
        for i, item in enumerate(value):
            check_value(item, shape.member, f'{where}[{i}]', problems)
    elif shape.type_name == 'map':
        if not isinstance(value, dict):
            problems.append(f'{where}: expected a map, got {json.dumps(value)}')
            return
        for key, item in value.items():
            check_value(item, shape.value, f'{where}.{key}', problems)
    else:
        # botocore's own validator for the scalar: type, range and length.
        report = ParamValidator().validate(value, shape)
        if report.has_errors():
            problems.append(f'{where}: {report.generate_report().splitlines()[-1].strip().replace(" for parameter input", "")}')
        elif getattr(shape, 'enum', None) and value not in shape.enum:
            problems.append(f'{where}: {json.dumps(value)} is not one of {", ".join(shape.enum)}')


def check_errors(task, prefix, label, problems):
    for field in ('retry', 'catch'):
        for rule in task.get(field) or []:
            for error in rule.get('ErrorEquals', []):
                if error.startswith('States.'):
                    continue
                head, dot, tail = error.partition('.')
                if not dot:
                    problems.append(f'{label}: {field.capitalize()} error `{error}` matches no SDK error: name it `{prefix}.<Name>Exception`')
                elif head != prefix:
                    problems.append(f'{label}: {field.capitalize()} error `{error}` must start with `{prefix}.`')
                elif not tail.endswith('Exception'):
                    problems.append(f'{label}: {field.capitalize()} error `{error}` must end in `Exception`')


def check(task):
    label = f'{task["state"]} ({task["service"]}:{task["action"]})'
    name = botocore_service(task['service'])
    if name is None:
        return [f'{label}: unknown service `{task["service"]}`']
    model = session.get_service_model(name)
    operation = task['action'][:1].upper() + task['action'][1:]
    if operation not in model.operation_names:
        return [f'{label}: unknown action `{task["action"]}` of {model.service_id}']
    problems = []
    shape = model.operation_model(operation).input_shape
    if shape is not None:
        check_value(task.get('parameters') or {}, shape, 'Parameters', problems)
    elif task.get('parameters'):
        problems.append(f'Parameters given, but {operation} takes none')
    problems = [f'{label}: {p}' for p in problems]
    check_errors(task, error_prefix(model.service_id), label, problems)
    return problems


if __name__ == '__main__':
    print(json.dumps([p for task in json.load(sys.stdin) for p in check(task)]))
