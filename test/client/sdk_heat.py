"""Heat stacks through Debian's openstacksdk orchestration proxy.

Run by heat-cli-info.test.ts with OS_CLIENT_CONFIG_FILE pointing at the server's clouds.yaml:
create_stack, wait_for_status, get_stack, stacks, delete_stack. Any mismatch raises and the
script exits non-zero; the last line printed is a JSON summary.
"""
import json

import openstack
import yaml

TEMPLATE = """heat_template_version: '2016-10-14'
parameters:
  length: {type: number, default: 10}
resources:
  rand:
    type: OS::Heat::RandomString
    properties:
      length: {get_param: length}
outputs:
  value:
    value: {get_attr: [rand, value]}
"""


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def main():
    conn = openstack.connect(cloud="pocketstack")
    heat = conn.orchestration
    summary = {}

    stack = heat.create_stack(
        name="sdk-stack", template=yaml.safe_load(TEMPLATE), parameters={"length": 16}
    )
    check(stack.id, f"create_stack gave no id: {stack}")
    stack = heat.wait_for_status(stack, status="CREATE_COMPLETE", failures=["CREATE_FAILED"],
                                 interval=1, wait=60)
    check(stack.status == "CREATE_COMPLETE", f"status {stack.status}")

    got = heat.get_stack("sdk-stack")
    check(got.id == stack.id, f"get_stack by name {got.id} != {stack.id}")
    check(got.name == "sdk-stack", f"name {got.name}")
    check(got.status_reason == "Stack CREATE completed successfully", got.status_reason)
    check(str(got.parameters.get("length")) == "16", f"parameters {got.parameters}")
    outputs = {o["output_key"]: o["output_value"] for o in got.outputs}
    check(len(outputs.get("value", "")) == 16, f"outputs {got.outputs}")
    summary["value_length"] = len(outputs["value"])

    names = [s.name for s in heat.stacks()]
    check("sdk-stack" in names, f"stacks() {names}")
    summary["listed"] = names.count("sdk-stack")

    resources = list(heat.resources(got))
    check([r.name for r in resources] == ["rand"], f"resources {resources}")
    check(resources[0].status == "CREATE_COMPLETE", resources[0].status)

    heat.delete_stack(got)
    gone = heat.wait_for_delete(got, interval=1, wait=60)
    check(gone, "wait_for_delete")
    check(heat.find_stack("sdk-stack") is None, "stack still found after delete")
    summary["ok"] = True
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
