"""Checks synthesized AWS::FIS::ExperimentTemplate properties against botocore's FIS model (test-only, offline).

Reads a JSON list of the templates' CloudFormation `Properties` on stdin, maps each to the
`CreateExperimentTemplate` request it stands for, validates that with botocore's own validator,
and prints a JSON list of problems (one string each).

The mapping: structure members go from CloudFormation's PascalCase to the API's camelCase; map
keys (action, target, parameter and tag names) are kept; `Outputs.ExperimentReportS3Configuration`
is the API's `outputs.s3Configuration` (the one member CloudFormation renames). Intrinsic functions
(`Ref`, `Fn::*`) stand for strings known at deploy time and become a placeholder string.
botocore's model has no list of action ids: those are checked against the FIS actions reference
(docs/aws-facts.md#fis-and-drs), not here.
"""
import json
import sys

import botocore.session
from botocore.validate import ParamValidator

RENAMES = {('ExperimentTemplateReportConfigurationOutputsInput', 'ExperimentReportS3Configuration'): 's3Configuration'}
PLACEHOLDER = 'deploy-time-value-from-cloudformation'  # 37 characters: within every string member's bounds

model = botocore.session.get_session().get_service_model('fis')
request_shape = model.operation_model('CreateExperimentTemplate').input_shape


def is_intrinsic(value):
    return isinstance(value, dict) and len(value) == 1 and (next(iter(value)) == 'Ref' or next(iter(value)).startswith('Fn::'))


def check_max(value, shape, where, problems):
    """The model's `max` of a string, list or map: botocore's validator checks only `min`."""
    limit = shape.metadata.get('max')
    if limit is not None and isinstance(value, (str, list, dict)) and len(value) > limit:
        problems.append(f'{where}: length {len(value)} is above the model\'s max {limit} ({shape.name})')


def to_request(value, shape, where, problems):
    """The API value for a CloudFormation value of `shape`; unknown members become problems."""
    if is_intrinsic(value):
        return PLACEHOLDER if shape.type_name == 'string' else value
    check_max(value, shape, where, problems)
    if shape.type_name == 'map' and isinstance(value, dict):
        for key in value:
            check_max(key, shape.key, f'{where} key {key!r}', problems)
    if shape.type_name == 'structure':
        if not isinstance(value, dict):
            return value  # botocore reports the type
        by_cfn = {m[0].upper() + m[1:]: m for m in shape.members}
        out = {}
        for key, sub in value.items():
            member = RENAMES.get((shape.name, key)) or by_cfn.get(key)
            if member is None:
                problems.append(f'{where}.{key}: no such member of {shape.name}; it has: {", ".join(sorted(by_cfn))}')
                continue
            out[member] = to_request(sub, shape.members[member], f'{where}.{key}', problems)
        return out
    if shape.type_name == 'list' and isinstance(value, list):
        return [to_request(v, shape.member, f'{where}[{i}]', problems) for i, v in enumerate(value)]
    if shape.type_name == 'map' and isinstance(value, dict):
        return {k: to_request(v, shape.value, f'{where}.{k}', problems) for k, v in value.items()}
    return value


def check(properties):
    problems = []
    request = to_request(properties, request_shape, 'Properties', problems)
    request['clientToken'] = 'synth-check'
    report = ParamValidator().validate(request, request_shape)
    if report.has_errors():
        problems.extend(line.strip() for line in report.generate_report().splitlines()[1:] if line.strip())
    return problems


if __name__ == '__main__':
    print(json.dumps([p for properties in json.load(sys.stdin) for p in check(properties)]))
