"""Finding and loading botocore-format service models."""

import json
import os

# The services the gateway fronts: model directory name -> proto package part.
SERVICES = ("apprunner", "amplify", "serverlessrepo", "appconfig", "ecs")


def find_model(models_dir: str, service: str) -> str:
    """Path of `<models_dir>/<service>/<newest version>/service-2.json`.

    Raises FileNotFoundError naming what was looked for.
    """
    service_dir = os.path.join(models_dir, service)
    versions = sorted(v for v in os.listdir(service_dir)
                      if os.path.isfile(os.path.join(service_dir, v, "service-2.json")))
    if not versions:
        raise FileNotFoundError(f"no <version>/service-2.json under {service_dir}")
    return os.path.join(service_dir, versions[-1], "service-2.json")


def load(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)
