"""Validates the DRS resources of a template (stdin) against the schema copies beside this file.

cfn-lint 1.51.0 bundles no AWS::DRS schema, and its `--registry-schemas` option makes the types
known without checking their properties, so this script does that part with jsonschema (which
cfn-lint depends on). Intrinsic functions become sample values of the right shape. Prints a JSON
list of problems.
"""
import json
import os
import sys

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = {
    'StagingAreaSubnetId': 'subnet-12345678',
    'ReplicationServersSecurityGroupsIDs': 'sg-12345678',
    'EbsEncryptionKeyArn': 'arn:aws:kms:us-west-2:111111111111:key/sample',
    'ExportBucketArn': 'arn:aws:s3:::sample-bucket',
}


def concrete(value, prop):
    if isinstance(value, dict) and len(value) == 1 and next(iter(value)) in ('Ref', 'Fn::GetAtt', 'Fn::Join', 'Fn::Sub', 'Fn::ImportValue'):
        return SAMPLES.get(prop, 'sample')
    if isinstance(value, list):
        return [concrete(v, prop) for v in value]
    if isinstance(value, dict):
        return {k: concrete(v, k if k in SAMPLES else prop) for k, v in value.items()}
    return value


def main():
    template = json.load(sys.stdin)
    schemas = {}
    for name in os.listdir(HERE):
        if name.endswith('.json'):
            with open(os.path.join(HERE, name), encoding='utf-8') as fh:
                schema = json.load(fh)
                schemas[schema['typeName']] = schema
    problems = []
    for logical_id, resource in template.get('Resources', {}).items():
        schema = schemas.get(resource.get('Type'))
        if schema is None:
            continue
        props = {k: concrete(v, k) for k, v in resource.get('Properties', {}).items()}
        validator = jsonschema.Draft7Validator({k: v for k, v in schema.items() if k != 'typeName'})
        for error in validator.iter_errors(props):
            problems.append(f"{logical_id} ({resource['Type']}) {'/'.join(str(p) for p in error.path)}: {error.message}")
    print(json.dumps(problems))


main()
