#!/usr/bin/env bash
# Fails when any C++ source of the project is not clang-formatted (.clang-format
# at the repository root). Exits 77 (ctest: skipped) without clang-format.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v clang-format >/dev/null || { echo "SKIP: clang-format not installed"; exit 77; }
mapfile -t files < <(find auth base bench emulator gateway http proto tests translators \
  \( -name '*.cc' -o -name '*.h' \) -not -path '*/build*' 2>/dev/null | sort)
[ ${#files[@]} -gt 0 ] || { echo "no C++ sources found"; exit 1; }
clang-format --dry-run --Werror "${files[@]}"
echo "${#files[@]} files formatted"
