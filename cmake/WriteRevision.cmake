# cmake -DSOURCE_DIR=... -DOUTPUT=... -P WriteRevision.cmake
# Writes OUTPUT, a header defining AWSGW_REVISION as the git revision of
# SOURCE_DIR ("" outside a git checkout, as in a container build's context),
# and rewrites it only when the revision changed, so that a build after a
# commit recompiles the one file that includes it and nothing else.
execute_process(
  # --exclude=*: the commit, never a tag name (the version is project()'s).
  COMMAND git -C "${SOURCE_DIR}" describe --always --dirty --abbrev=12 --exclude=*
  OUTPUT_VARIABLE revision
  RESULT_VARIABLE failed
  OUTPUT_STRIP_TRAILING_WHITESPACE
  ERROR_QUIET)
if(failed)
  set(revision "")
endif()
set(content "// Written by cmake/WriteRevision.cmake at build time.\n#define AWSGW_REVISION \"${revision}\"\n")
set(old "")
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
endif()
if(NOT content STREQUAL old)
  file(WRITE "${OUTPUT}" "${content}")
endif()
