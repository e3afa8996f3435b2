#!/usr/bin/env python3
"""cfn-lint over every stack of the given cloud assemblies, each in its stack's own region.

Fails on any error, and on any warning that .ci/cfn-lint-accepted.json does not list with its
reason. Usage: lint-templates.py ASSEMBLY_DIR [ASSEMBLY_DIR ...]
"""
import json
import os
import re
import concurrent.futures
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def stacks(assembly):
    """(template path, region) of every stack with resources in an assembly."""
    with open(os.path.join(assembly, 'manifest.json')) as f:
        manifest = json.load(f)
    for artifact in manifest.get('artifacts', {}).values():
        if artifact.get('type') != 'aws:cloudformation:stack':
            continue
        template = os.path.join(assembly, artifact['properties']['templateFile'])
        with open(template) as f:
            if not json.load(f).get('Resources'):
                # integ-tests' assertion stack is empty when a test makes no deploy-time
                # assertions; CloudFormation would not deploy it either.
                continue
        region = artifact.get('environment', '').rsplit('/', 1)[-1]
        yield template, region if re.match(r'^[a-z]{2}(-gov)?-[a-z]+-\d$', region) else 'us-east-1'


def main(assemblies):
    with open(os.path.join(HERE, 'cfn-lint-accepted.json')) as f:
        accepted = json.load(f)
    used = set()
    problems = 0
    count = 0
    # One cfn-lint run per region (its start-up, which loads the schemas, is most of the time),
    # two at a time on the two cores.
    by_region = {}
    for assembly in assemblies:
        for template, region in stacks(assembly):
            count += 1
            by_region.setdefault(region, []).append(template)

    def lint(item):
        region, templates = item
        out = subprocess.run(['cfn-lint', '--format', 'json', '--regions', region, '--', *templates], capture_output=True, text=True)
        return region, json.loads(out.stdout or '[]')

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lint, sorted(by_region.items())))
    for region, findings in results:
        for finding in findings:
            rule = finding['Rule']['Id']
            path = finding['Location']['Path']
            resource = path[1] if len(path) > 1 and path[0] == 'Resources' else ''
            match = next((i for i, a in enumerate(accepted)
                          if a['rule'] == rule and re.fullmatch(a['resource'], resource)
                          and finding['Level'] == 'Warning'), None)
            if match is not None:
                used.add(match)
                continue
            problems += 1
            print(f"{finding['Filename']} ({region}): {finding['Level']} {rule} {resource}: {finding['Message']}")
    unused = [a for i, a in enumerate(accepted) if i not in used]
    for a in unused:
        problems += 1
        print(f"cfn-lint-accepted.json lists {a['rule']} {a['resource']}, which no template has any more: remove it")
    print(f'cfn-lint: {count} templates, {problems} problem(s), {len(used)} accepted warning(s)')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
