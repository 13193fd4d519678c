"""The layer check fails on includes against layers.txt and on cycles."""
import os
import subprocess
import sys
import tempfile
import unittest

CHECK = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'check_layers.py')
ROOT = os.path.abspath(os.path.join(os.path.dirname(CHECK), '..', '..'))

TABLE = """
base            -
http            base
http/client     http
auth            http
auth/providers  auth http/client
gateway/server  auth/providers
"""


def make_tree(root, table, files):
    with open(os.path.join(root, 'layers.txt'), 'w') as f:
        f.write(table)
    for path, text in files.items():
        os.makedirs(os.path.join(root, os.path.dirname(path)), exist_ok=True)
        with open(os.path.join(root, path), 'w') as f:
            f.write(text)


def run(root):
    return subprocess.run([sys.executable, CHECK, root], capture_output=True, text=True)


class CheckLayersTest(unittest.TestCase):
    def test_this_repository_follows_its_layers(self):
        result = run(ROOT)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn('files follow layers.txt', result.stdout)

    def test_credential_providers_may_not_include_the_gateway(self):
        # What the tree looked like before the layers were written down: the
        # credential chain reached up into the gateway's HTTP client.
        with tempfile.TemporaryDirectory() as root:
            make_tree(root, TABLE, {
                'gateway/server/http_client.h': '#pragma once\n',
                'http/client/http_client.h': '#pragma once\n',
                'auth/providers/default_chain.h':
                    '#include "http/client/http_client.h"\n#include "gateway/server/http_client.h"\n',
            })
            result = run(root)
            self.assertEqual(result.returncode, 1)
            self.assertIn('auth/providers/default_chain.h:2: includes "gateway/server/http_client.h"',
                          result.stderr)
            self.assertNotIn('http/client/http_client.h"', result.stderr)

    def test_includes_follow_arrows_down_transitively(self):
        with tempfile.TemporaryDirectory() as root:
            make_tree(root, TABLE, {
                'base/env.h': '#pragma once\n',
                'gateway/server/main.cc': '#include "base/env.h"\n#include "absl/status/status.h"\n',
            })
            self.assertEqual(run(root).returncode, 0)

    def test_tests_may_include_their_folder_and_below_but_not_above(self):
        with tempfile.TemporaryDirectory() as root:
            make_tree(root, TABLE, {
                'http/message.h': '#pragma once\n',
                'gateway/server/main.h': '#pragma once\n',
                'tests/base/support.h': '#pragma once\n',
                'tests/http/ok_test.cc': '#include "http/message.h"\n#include "tests/base/support.h"\n',
                'tests/http/bad_test.cc': '#include "gateway/server/main.h"\n',
            })
            result = run(root)
            self.assertEqual(result.returncode, 1)
            self.assertIn('tests/http/bad_test.cc:1', result.stderr)
            self.assertNotIn('ok_test.cc', result.stderr)

    def test_angle_brackets_relative_paths_and_other_suffixes_are_checked_too(self):
        with tempfile.TemporaryDirectory() as root:
            make_tree(root, TABLE, {
                'gateway/server/main.h': '#pragma once\n',
                'http/a.cc': '#include <gateway/server/main.h>\n',
                'http/b.h': '#include "../gateway/server/main.h"\n',
                'http/c.cpp': '#include "gateway/server/main.h"\n',
                'http/ok.cc': '#include <vector>\n#include "b.h"\n',
            })
            result = run(root)
            self.assertEqual(result.returncode, 1)
            for bad in ('http/a.cc:1', 'http/b.h:1', 'http/c.cpp:1'):
                self.assertIn(bad, result.stderr)
            self.assertNotIn('ok.cc', result.stderr)

    def test_only_top_level_build_folders_are_skipped(self):
        with tempfile.TemporaryDirectory() as root:
            make_tree(root, TABLE, {
                'gateway/server/main.h': '#pragma once\n',
                'build-x/gen/x.cc': '#include "gateway/server/main.h"\n',
                'http/builders/x.cc': 'int x;\n',
                'protocol/y.cc': 'int y;\n',
            })
            result = run(root)
            self.assertEqual(result.returncode, 1)
            self.assertNotIn('build-x', result.stderr)
            self.assertIn('http/builders: holds C++ but has no line', result.stderr)
            self.assertIn('protocol: holds C++ but has no line', result.stderr)

    def test_a_cycle_in_the_table_is_refused(self):
        with tempfile.TemporaryDirectory() as root:
            make_tree(root, 'base http\nhttp base\n', {})
            result = run(root)
            self.assertEqual(result.returncode, 1)
            self.assertIn('cycle', result.stderr)

    def test_a_folder_with_code_and_no_rule_is_refused(self):
        with tempfile.TemporaryDirectory() as root:
            make_tree(root, TABLE, {'newfolder/x.cc': 'int x;\n'})
            result = run(root)
            self.assertEqual(result.returncode, 1)
            self.assertIn('newfolder: holds C++ but has no line', result.stderr)


if __name__ == '__main__':
    unittest.main()
