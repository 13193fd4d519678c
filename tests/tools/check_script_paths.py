#!/usr/bin/python3
"""The binaries README command 1 runs are where the build puts them.

tools/run-gateway.sh names the gateway binary by its path under build/; a
target that moves folders moves its binary, and nothing else would notice.
Usage: check_script_paths.py SOURCE_DIR BINARY_DIR GATEWAY_BINARY
Exits 77 (skipped) when the build is not the scripts' build/ folder.
"""
import os
import re
import sys


def main():
    source, binary, gateway = (os.path.realpath(p) for p in sys.argv[1:4])
    if binary != os.path.join(source, 'build'):
        print(f'SKIP: the scripts build into {source}/build, this build is {binary}')
        return 77
    with open(os.path.join(source, 'tools', 'run-gateway.sh')) as f:
        match = re.search(r'^gateway=(\S+)$', f.read(), re.M)
    if not match:
        print('tools/run-gateway.sh: no gateway=... line')
        return 1
    named = os.path.realpath(os.path.join(source, match.group(1)))
    if named != gateway:
        print(f'tools/run-gateway.sh runs {match.group(1)}, but the gateway is built at '
              f'{os.path.relpath(gateway, source)}')
        return 1
    print(f'tools/run-gateway.sh runs {match.group(1)}: the built gateway')
    return 0


if __name__ == '__main__':
    sys.exit(main())
