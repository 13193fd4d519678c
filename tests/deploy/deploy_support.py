"""What the package and image tests share: this build's Debian package
(cpack, into a folder of the test's own), the local Debian 12 base image
(deploy/container/bootstrap-base.sh: debootstrap from the Debian archive,
kept in buildah's storage once made), and buildah containers that are
removed when the test ends.

Needs root, buildah and debootstrap (README command 2 installs them) and
AWSGW_BUILD_DIR; the tests skip with a message without them. The only
network traffic besides loopback is to the Debian archive, which the base
image and the package's dependencies come from.
"""

import contextlib
import glob
import os
import shutil
import signal
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
BUILD_DIR = os.environ.get("AWSGW_BUILD_DIR")
BASE_IMAGE = "localhost/debian:bookworm-slim"
INSTALLED_GATEWAY = "/usr/bin/aws-grpc-gateway"


def missing_prerequisite():
    """Why these tests cannot run here, or None."""
    if os.geteuid() != 0:
        return "needs root (buildah and debootstrap)"
    for tool in ("buildah", "debootstrap", "cpack", "dpkg-deb"):
        if shutil.which(tool) is None:
            return f"needs {tool} (tools/install-deps.sh installs it)"
    if not BUILD_DIR or not os.path.exists(os.path.join(BUILD_DIR, "CPackConfig.cmake")):
        return "needs AWSGW_BUILD_DIR: a configured build folder"
    return None


def run(*command, timeout=900, check=True, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(command)} exited {result.returncode}:\n"
                             f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return result


def make_package(folder):
    """This build's .deb, made into `folder`."""
    run("cpack", "-G", "DEB", "--config", os.path.join(BUILD_DIR, "CPackConfig.cmake"),
        "-B", folder, cwd=BUILD_DIR)
    found = glob.glob(os.path.join(folder, "aws-grpc-gateway_*.deb"))
    if len(found) != 1:
        raise AssertionError(f"cpack made {found} in {folder}")
    return found[0]


def ensure_base_image():
    run("bash", os.path.join(ROOT, "deploy", "container", "bootstrap-base.sh"), BASE_IMAGE)


class Container:
    """A buildah working container of `image`, removed on close()."""

    def __init__(self, image):
        self.name = run("buildah", "from", "--quiet", image).stdout.strip()

    def run(self, *command, user=None, check=True, timeout=600):
        user_args = ["--user", user] if user else []
        return run("buildah", "run", "--isolation", "chroot", *user_args, self.name, "--",
                   *command, check=check, timeout=timeout)

    def launcher(self, user=None):
        """The command that runs a program in this container on the host's
        network (for GatewayProcess(launcher=...))."""
        user_args = ["--user", user] if user else []
        return ["buildah", "run", "--isolation", "chroot", "--network", "host", *user_args,
                self.name, "--"]

    def copy(self, source, destination):
        run("buildah", "copy", "--quiet", self.name, source, destination)

    def close(self):
        run("buildah", "rm", self.name, check=False)




def descendants(pid):
    """The processes under `pid` (buildah run's program among them: chroot
    isolation shares the host's process namespace)."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def signal_program(launcher_pid, program, sig):
    """Sends `sig` to `program` running under the launcher (buildah run does
    not pass SIGTERM on to it, as a container runtime's stop does)."""
    for pid in descendants(launcher_pid):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                if cmdline.read().split(b"\0")[0].decode() == program:
                    os.kill(pid, sig)
                    return pid
        except OSError:
            continue
    raise AssertionError(f"{program} is not running under process {launcher_pid}")


def stop_program(launcher_pid, program):
    """Kills `program` under the launcher if it still runs: killing buildah
    run alone would leave it running, holding its port and the container."""
    try:
        signal_program(launcher_pid, program, signal.SIGKILL)
    except AssertionError:
        pass  # already gone


@contextlib.contextmanager
def installed_gateway(container, *args, user=None):
    """The installed gateway run in `container` on the host's network (a
    GatewayProcess); on exit it is killed with its launcher if still running."""
    from gateway_process import GatewayProcess  # tests/e2e, on PYTHONPATH
    gateway = GatewayProcess(*args, binary=INSTALLED_GATEWAY, launcher=container.launcher(user))
    try:
        yield gateway
    finally:
        stop_program(gateway.proc.pid, INSTALLED_GATEWAY)
        gateway.__exit__()


def terminate(gateway):
    """SIGTERM to the gateway itself, as a container runtime's stop sends it
    (buildah run does not pass it on); its exit code."""
    signal_program(gateway.proc.pid, INSTALLED_GATEWAY, signal.SIGTERM)
    return gateway.proc.wait(timeout=30)
