"""Reads every YAML file under a deploy/ directory for deploy_files_test.

Prints one JSON object: "problems" (what is wrong, one sentence each: a file that does not parse, a kustomization
naming a missing file, a server container without its probes or with a grace period shorter than its drain) and
"invocations" (every command or args list that runs `mlflowcpp server` or `mlflowcpp gc`, for the test to check
their flags against the program's --help).

    python3 deploy_manifests.py DEPLOY_DIR
"""

import json
import os
import sys

import yaml

# The mlflowcpp commands the deploy files run (the image's entrypoint is the program).
COMMANDS = ("server", "gc")
DEFAULT_SHUTDOWN_TIMEOUT = 30


def yaml_files(root):
    for directory, _, names in os.walk(root):
        for name in sorted(names):
            if name.endswith((".yaml", ".yml")):
                yield os.path.join(directory, name)


def walk(node):
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def check_kustomization(path, relative, document, problems):
    directory = os.path.dirname(path)
    named = list(document.get("resources", []))
    named += [patch["path"] for patch in document.get("patches", []) if "path" in patch]
    for generator in document.get("secretGenerator", []) + document.get("configMapGenerator", []):
        # Secrets' contents are the user's: the repository carries NAME.example instead.
        for entry in generator.get("envs", []) + generator.get("files", []):
            if not os.path.exists(os.path.join(directory, entry)) and not os.path.exists(
                    os.path.join(directory, entry + ".example")):
                problems.append(f"{relative}: {entry} (or {entry}.example) does not exist")
    for entry in named:
        if not os.path.exists(os.path.join(directory, entry)):
            problems.append(f"{relative}: {entry} does not exist")


def runs_mlflowcpp(node):
    """A container (or compose service) of the mlflowcpp image; in a patch, the container named mlflowcpp."""
    if not isinstance(node, dict):
        return False
    image = str(node.get("image", ""))
    return "mlflowcpp" in image or image == "${IMAGE}" or ("image" not in node and node.get("name") == "mlflowcpp")


def environment_value(container, name):
    for variable in container.get("env", []) or []:
        if variable.get("name") == name and "value" in variable:
            return variable["value"]
    return None


def check_server_pod(path, pod, problems):
    for container in pod.get("containers", []):
        args = container.get("args") or container.get("command") or []
        if not runs_mlflowcpp(container) or not args or args[0] != "server":
            continue
        where = f"{path}: container {container.get('name')}"
        for probe in ("readinessProbe", "livenessProbe"):
            http_get = (container.get(probe) or {}).get("httpGet") or {}
            if http_get.get("path") != "/health":
                problems.append(f"{where}: no {probe} on /health")
        security = container.get("securityContext") or {}
        if security.get("allowPrivilegeEscalation") is not False:
            problems.append(f"{where}: allowPrivilegeEscalation is not false")
        timeout = int(environment_value(container, "MLFLOWCPP_SHUTDOWN_TIMEOUT") or DEFAULT_SHUTDOWN_TIMEOUT)
        pre_stop = ((container.get("lifecycle") or {}).get("preStop") or {}).get("exec", {}).get("command", [])
        delay = int(pre_stop[1]) if len(pre_stop) == 2 and pre_stop[0] == "sleep" else 0
        grace = int(pod.get("terminationGracePeriodSeconds", 30))
        if grace <= timeout + delay:
            problems.append(f"{where}: terminationGracePeriodSeconds {grace} does not exceed the preStop delay "
                            f"{delay} s plus the shutdown timeout {timeout} s")


def check_compose_service(path, name, service, problems):
    command = service.get("command") or []
    if not runs_mlflowcpp(service) or not command or command[0] != "server":
        return
    timeout = int((service.get("environment") or {}).get("MLFLOWCPP_SHUTDOWN_TIMEOUT", DEFAULT_SHUTDOWN_TIMEOUT))
    grace = str(service.get("stop_grace_period", "10s"))
    if not grace.endswith("s") or int(grace[:-1]) <= timeout:
        problems.append(f"{path}: service {name}: stop_grace_period {grace} does not exceed the shutdown timeout")


def main(root):
    problems = []
    invocations = []
    for path in yaml_files(root):
        relative = os.path.relpath(path, root)
        try:
            with open(path, encoding="utf-8") as stream:
                documents = [document for document in yaml.safe_load_all(stream) if document is not None]
        except yaml.YAMLError as error:
            problems.append(f"{relative}: does not parse: {error}")
            continue
        for document in documents:
            if os.path.basename(path) == "kustomization.yaml":
                check_kustomization(path, relative, document, problems)
            if isinstance(document, dict) and isinstance(document.get("services"), dict):
                for name, service in document["services"].items():
                    check_compose_service(relative, name, service, problems)
            for node in walk(document):
                if runs_mlflowcpp(node):
                    for key in ("command", "args"):
                        arguments = node.get(key)
                        if isinstance(arguments, list) and arguments and arguments[0] in COMMANDS:
                            invocations.append({"file": relative, "arguments": [str(x) for x in arguments]})
                # Patches carry only what they change; the full pod specs are checked.
                if isinstance(node, dict) and "containers" in node and not path.endswith("-patch.yaml"):
                    check_server_pod(relative, node, problems)
    json.dump({"problems": problems, "invocations": invocations}, sys.stdout, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
