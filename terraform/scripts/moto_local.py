"""Local AWS for the Terraform roots: moto in server mode on loopback, plus the small shims it needs.

Used by tests/integration/test_terraform_moto.py and by `make local-aws`, `make apply-local` and
`make destroy-local` (make/terraform.mk). Commands:

    python terraform/scripts/moto_local.py serve [--port 5000]          # moto + shims, until Ctrl-C
    python terraform/scripts/moto_local.py plan|apply platform|pos|... --endpoint URL
    python terraform/scripts/moto_local.py destroy platform|pos|... --endpoint URL

State, plans and generated variables of local runs live in terraform/.build/local/ (git-ignored),
never next to the real state of a root.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

REGION = "eu-central-1"
TERRAFORM_DIR = Path(__file__).resolve().parent.parent
REPO = TERRAFORM_DIR.parent
SOURCES = ("pos", "inventory", "web-logs", "crm-logs")

# What moto cannot emulate at all is switched off in local runs only (see terraform/README.md).
PLATFORM_LOCAL_VARS: dict[str, Any] = {
    "local_mode": True,
    "force_destroy": True,
    "warehouse_skip_final_snapshot": True,
}
SOURCE_LOCAL_VARS: dict[str, Any] = {"local_mode": True, "image_tag": "local"}


# --- moto server with compatibility shims -------------------------------------------------------


def install_shims() -> None:
    """Patch moto (in this process only) where it differs from AWS in ways Terraform trips over."""
    from moto.athena.exceptions import AthenaClientError
    from moto.athena.responses import AthenaResponse
    from moto.iam.access_control import IAMPolicy, PermissionResult
    from moto.redshift.models import Cluster, RedshiftBackend
    from moto.redshift.responses import RedshiftResponse
    from moto.s3.models import FakeBucket
    from moto.stepfunctions.responses import StepFunctionResponse

    # Shim 1: S3 bucket policies. moto checks bucket policies on object writes but evaluates only
    # StringEquals conditions and ignores the rest, so the lake buckets' TLS-only statements
    # (Deny if aws:SecureTransport is false / s3:TlsVersion < 1.2) deny every request. Real S3 is
    # reached over TLS only, and so is every client of these buckets: evaluate the policy as for a
    # TLS 1.3 request, i.e. without the statements that can only match plain-HTTP or old-TLS requests.
    # Every other statement is still enforced by moto.
    tls_guards = {("Bool", "aws:SecureTransport"), ("NumericLessThan", "s3:TlsVersion")}

    def is_tls_guard(statement: dict[str, Any]) -> bool:
        conditions = statement.get("Condition") or {}
        keys = {(op, key) for op, values in conditions.items() for key in values}
        return statement.get("Effect") == "Deny" and bool(keys) and keys <= tls_guards

    def get_permission(self: FakeBucket, action: str, resource: str) -> Any:
        if self.policy is None:
            return PermissionResult.NEUTRAL
        policy = json.loads(self.policy)
        statements = [s for s in policy.get("Statement", []) if not is_tls_guard(s)]
        if not statements:
            return PermissionResult.NEUTRAL
        return IAMPolicy(json.dumps({**policy, "Statement": statements})).is_action_permitted(
            action, resource
        )

    FakeBucket.get_permission = get_permission  # type: ignore[method-assign]

    # Shim 2: Redshift parameter groups. moto creates them but has no ModifyClusterParameterGroup,
    # which the provider calls to set require_ssl and user-activity logging. Store the values and
    # report them back as user-set parameters.
    def modify_cluster_parameter_group(self: RedshiftResponse) -> Any:
        from moto.core.responses import ActionResult

        name = self._get_param("ParameterGroupName")
        group = self.redshift_backend.describe_cluster_parameter_groups(name)[0]
        params = self._get_param("Parameters", [])
        user = getattr(group, "user_parameters", {})
        for p in params:
            user[p["ParameterName"]] = p["ParameterValue"]
        group.user_parameters = user  # type: ignore[attr-defined]
        return ActionResult({"ParameterGroupName": name, "ParameterGroupStatus": "applying"})

    original_describe = RedshiftBackend.describe_cluster_parameters

    def describe_cluster_parameters(self: RedshiftBackend, parameter_group_name: str) -> Any:
        params = original_describe(self, parameter_group_name)
        user = getattr(self.parameter_groups[parameter_group_name], "user_parameters", {})
        kept = [p for p in params if p["ParameterName"] not in user]
        return kept + [
            {
                "ParameterName": k,
                "ParameterValue": v,
                "Source": "user",
                "DataType": "string",
                "ApplyType": "static",
                "IsModifiable": True,
            }
            for k, v in user.items()
        ]

    # Shim 3: Redshift clusters. After CreateCluster the provider waits for ClusterAvailabilityStatus
    # "Available", a settled AvailabilityZoneRelocationStatus and a MultiAZ value, fields moto does not
    # return (it only returns ClusterStatus "available"). Report them as AWS does for a ready
    # single-AZ cluster.
    Cluster.cluster_availability_status = "Available"  # type: ignore[attr-defined]
    Cluster.availability_zone_relocation_status = "disabled"  # type: ignore[attr-defined]
    Cluster.multi_az = "Disabled"  # type: ignore[attr-defined]

    # Shim 4: Step Functions. The provider validates definitions with ValidateStateMachineDefinition
    # before creating a state machine; moto lacks that API. Answer it with a real well-formedness check
    # (the definition must be JSON with StartAt naming one of its States), not a blanket OK.
    def validate_state_machine_definition(self: StepFunctionResponse) -> Any:
        from moto.core.responses import ActionResult

        diagnostics = []
        try:
            definition = json.loads(self._get_param("definition"))
            if definition.get("StartAt") not in definition.get("States", {}):
                diagnostics.append({"severity": "ERROR", "code": "NO_START", "message": "bad StartAt"})
        except (TypeError, ValueError) as exc:
            diagnostics.append({"severity": "ERROR", "code": "INVALID_JSON", "message": str(exc)})
        return ActionResult({"result": "FAIL" if diagnostics else "OK", "diagnostics": diagnostics})

    # ...and reads a state machine's published versions after creating it (ListStateMachineVersions,
    # also missing). These machines publish no versions: answer with the empty list.
    def list_state_machine_versions(self: StepFunctionResponse) -> Any:
        from moto.core.responses import ActionResult

        return ActionResult({"stateMachineVersions": []})

    # Shim 5: Athena named queries. moto creates and reads them but has no DeleteNamedQuery, so the
    # workgroup's saved queries could never be destroyed. Delete from moto's store; reading a deleted
    # query answers InvalidRequestException "does not exist" as Athena does (moto raised a 500).
    original_get_named_query = AthenaResponse.get_named_query

    def delete_named_query(self: AthenaResponse) -> str:
        self.athena_backend.named_queries.pop(self._get_param("NamedQueryId"), None)
        return "{}"

    def get_named_query(self: AthenaResponse) -> str:
        query_id = self._get_param("NamedQueryId")
        if self.athena_backend.get_named_query(query_id) is None:
            raise AthenaClientError("InvalidRequestException", f"NamedQuery {query_id} does not exist")
        return original_get_named_query(self)

    AthenaResponse.delete_named_query = delete_named_query  # type: ignore[attr-defined]
    AthenaResponse.get_named_query = get_named_query  # type: ignore[method-assign]
    StepFunctionResponse.validate_state_machine_definition = validate_state_machine_definition  # type: ignore[attr-defined]
    StepFunctionResponse.list_state_machine_versions = list_state_machine_versions  # type: ignore[attr-defined]
    RedshiftResponse.modify_cluster_parameter_group = modify_cluster_parameter_group  # type: ignore[attr-defined]
    RedshiftBackend.describe_cluster_parameters = describe_cluster_parameters  # type: ignore[method-assign]


def serve(port: int) -> None:
    """Run moto with the shims on 127.0.0.1:port until interrupted."""
    from moto.server import ThreadedMotoServer

    install_shims()
    # AWS managed policies exist in every account; moto knows them only when asked to (the stream
    # Lambda in a VPC attaches AWSLambdaENIManagementAccess). A moto setting, not a shim.
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    host, bound = server.get_host_and_port()
    print(f"moto listening on http://{host}:{bound}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


def wait_until_up(endpoint: str, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2):  # noqa: S310 (loopback)
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


# --- terraform driving --------------------------------------------------------------------------


def terraform_env(endpoint: str, work: Path, root: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ENDPOINT_URL=endpoint,
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",  # noqa: S106 (moto's fixed dummy credentials)
        AWS_DEFAULT_REGION=REGION,
        AWS_REGION=REGION,
        # Fail fast on an API moto lacks instead of the provider's 25 retries with backoff.
        AWS_MAX_ATTEMPTS="3",
        TF_IN_AUTOMATION="1",
        CHECKPOINT_DISABLE="1",
        TF_DATA_DIR=str(work / f"{root}.tfdata"),
    )
    rc = TERRAFORM_DIR / ".build" / "terraformrc"
    if rc.exists():
        env["TF_CLI_CONFIG_FILE"] = str(rc)
    return env


def root_dir(root: str) -> Path:
    return TERRAFORM_DIR / "platform" if root == "platform" else TERRAFORM_DIR / "sources" / root


def run_terraform(root: str, args: list[str], endpoint: str, work: Path, timeout_s: float = 600) -> str:
    """Run terraform in a root against the endpoint; its output is appended to <work>/terraform.log."""
    cmd = ["terraform", f"-chdir={root_dir(root)}", *args]
    out = subprocess.run(
        cmd,
        env=terraform_env(endpoint, work, root),
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout_s,
    )
    with (work / "terraform.log").open("a") as fh:
        fh.write(f"$ {' '.join(cmd)}\n{out.stdout}\n{out.stderr}\n")
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({out.returncode}):\n{out.stderr[-6000:]}")
    return out.stdout


def create_network(endpoint: str) -> dict[str, Any]:
    """A VPC with two private subnets in moto: the network the platform is given in real accounts."""
    import boto3

    ec2 = boto3.client(
        "ec2",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",  # noqa: S106
    )
    vpc = ec2.create_vpc(CidrBlock="10.42.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.42.{i}.0/24", AvailabilityZone=f"{REGION}{az}")["Subnet"][
            "SubnetId"
        ]
        for i, az in enumerate("ab")
    ]
    return {"vpc_id": vpc, "private_subnet_ids": subnets}


def stub_artefacts(work: Path) -> dict[str, str]:
    """Glue scripts, wheel and Lambda zip for local runs: the built ones when present, else stand-ins
    (moto stores them but never runs Glue jobs or Lambdas)."""
    glue = REPO / "dist" / "glue"
    scripts = ["bronze_to_silver.py", "silver_to_gold.py"]
    # `make glue-artefacts` keeps the wheel's real name; the platform finds it by this pattern.
    wheels = list(glue.glob("shopware_pipeline-*-py3-none-any.whl"))
    built = all((glue / n).exists() for n in scripts) and len(wheels) == 1
    if not built:
        glue = work / "glue"
        glue.mkdir(parents=True, exist_ok=True)
        for n in [*scripts, "shopware_pipeline-0.0.0-py3-none-any.whl"]:
            (glue / n).write_text("# stand-in for a local run against moto\n")
    zip_path = REPO / "dist" / "lambda" / "stream-processor.zip"
    if not zip_path.exists():
        import zipfile

        zip_path = work / "stream-processor.zip"
        with zipfile.ZipFile(zip_path, "w") as zf:
            zf.writestr("shopware/aws/lambdas/README.txt", "stand-in for a local run against moto\n")
    return {"glue_artefacts_dir": str(glue), "lambda_zip_path": str(zip_path)}


def write_vars(root: str, endpoint: str, work: Path) -> Path:
    artefacts = stub_artefacts(work)
    if root == "platform":
        network_file = work / "network.json"
        if not network_file.exists():
            network_file.write_text(json.dumps(create_network(endpoint)))
        values = {
            **PLATFORM_LOCAL_VARS,
            **json.loads(network_file.read_text()),
            "glue_artefacts_dir": artefacts["glue_artefacts_dir"],
        }
    else:
        platform = json.loads(
            run_terraform(
                "platform",
                ["output", "-json", f"-state={work / 'platform.tfstate'}", "platform"],
                endpoint,
                work,
            )
        )
        values = {**SOURCE_LOCAL_VARS, "platform": platform}
        if root in ("pos", "inventory"):
            values["source_api_base_url"] = f"http://127.0.0.1/{root}-api"
        else:
            values["lambda_zip_path"] = artefacts["lambda_zip_path"]
    path = work / f"{root}.tfvars.json"
    path.write_text(json.dumps(values, indent=2))
    return path


def run_root(verb: str, root: str, endpoint: str, work: Path) -> str:
    """terraform plan|apply|destroy of a root with the local variables and the local state file."""
    work.mkdir(parents=True, exist_ok=True)
    if verb == "destroy":
        var_file = work / f"{root}.tfvars.json"
    else:
        run_terraform(root, ["init", "-input=false", "-no-color"], endpoint, work)
        var_file = write_vars(root, endpoint, work)
    args = [verb, "-input=false", "-no-color", f"-state={work / f'{root}.tfstate'}", f"-var-file={var_file}"]
    if verb != "plan":
        args += ["-auto-approve", "-parallelism=8"]
    return run_terraform(root, args, endpoint, work)


def apply(root: str, endpoint: str, work: Path) -> None:
    run_root("apply", root, endpoint, work)


def destroy(root: str, endpoint: str, work: Path) -> None:
    run_root("destroy", root, endpoint, work)


def state_resources(root: str, endpoint: str, work: Path) -> list[str]:
    out = run_terraform(root, ["state", "list", f"-state={work / f'{root}.tfstate'}"], endpoint, work)
    return [line for line in out.splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_serve = sub.add_parser("serve", help="run moto with the shims on 127.0.0.1")
    p_serve.add_argument("--port", type=int, default=5000)
    for name in ("plan", "apply", "destroy"):
        p = sub.add_parser(name, help=f"terraform {name} a root against the local endpoint")
        p.add_argument("root", choices=("platform", *SOURCES))
        p.add_argument("--endpoint", default="http://127.0.0.1:5000")
        p.add_argument("--work", type=Path, default=TERRAFORM_DIR / ".build" / "local")
    args = parser.parse_args(argv)
    if shutil.which("terraform") is None and args.command != "serve":
        print("terraform is not on PATH", file=sys.stderr)
        return 2
    if args.command == "serve":
        serve(args.port)
    else:
        print(run_root(args.command, args.root, args.endpoint, args.work.resolve()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
