# AWSGW_SANITIZE: builds the project's own code with the compiler's sanitizers
# (GCC's or clang's; tools/run-tests.sh builds ASan + UBSan with clang, so
# that the same build holds the libFuzzer targets: AWSGW_FUZZ).
#
#   -DAWSGW_SANITIZE=address,undefined   ASan + UBSan (+ LeakSanitizer)
#   -DAWSGW_SANITIZE=thread              TSan
#
# Instrumented: every library, binary and test of the project, and the
# header-only code they compile (Boost.Asio/Beast, abseil's inline parts,
# gtest macros, the inline accessors of the generated .pb.h files). Not
# instrumented: the generated protobuf C++ (.pb.cc, proto/CMakeLists.txt turns
# it off: protoc's output, and it is the largest part of the build) and the
# Debian shared libraries (gRPC, protobuf, Boost.JSON/URL, OpenSSL; abseil
# too, except in tools/run-tests.sh's TSan build, which links an instrumented
# abseil: cmake/TsanAbseil.cmake).
#
# Any report is an error: UBSan does not recover, ASan and TSan stop the
# process, and tests/sanitizers/ sets the runtime options for ctest and
# checks that no subprocess (gateway, emulator) left a report behind.
set(AWSGW_SANITIZE "" CACHE STRING
    "Sanitizers for the project's code: address,undefined | address | undefined | thread")

set(AWSGW_SANITIZERS)
if(AWSGW_SANITIZE)
  string(REPLACE "," ";" AWSGW_SANITIZERS "${AWSGW_SANITIZE}")
  foreach(sanitizer IN LISTS AWSGW_SANITIZERS)
    if(NOT sanitizer MATCHES "^(address|undefined|thread)$")
      message(FATAL_ERROR "AWSGW_SANITIZE: unknown sanitizer '${sanitizer}' "
                          "(address, undefined, thread)")
    endif()
  endforeach()
  if("thread" IN_LIST AWSGW_SANITIZERS AND "address" IN_LIST AWSGW_SANITIZERS)
    message(FATAL_ERROR "AWSGW_SANITIZE: thread and address cannot be combined")
  endif()

  # Frame pointers: the runtimes unwind by them, so every report has the
  # whole stack, cheaply.
  add_compile_options(-fsanitize=${AWSGW_SANITIZE} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${AWSGW_SANITIZE})
  if("undefined" IN_LIST AWSGW_SANITIZERS)
    # Undefined behaviour stops the process instead of printing and going on,
    # so that it fails the test that caused it.
    add_compile_options(-fno-sanitize-recover=undefined)
  endif()
  # What generated code adds to turn the instrumentation back off.
  set(AWSGW_NO_SANITIZE -fno-sanitize=all)
  message(STATUS "Sanitizers: ${AWSGW_SANITIZE} (generated protobuf C++ not instrumented)")
endif()

# TSan sees a lock only if the code that takes it is instrumented, and
# absl::Mutex is taken out of line, in Debian's libabsl_synchronization: with
# Debian's abseil every access it guards would look like a race. The TSan
# build therefore runs against abseil built from Debian's own source with
# -fsanitize=thread (tools/tsan-abseil.sh): same version, options and SONAMEs.
# The binaries are linked against Debian's copy as usual, with a DT_RPATH
# (not RUNPATH: it also applies to the libraries they load, such as gRPC) to
# the instrumented one, which the loader then takes for every libabsl_*.
set(AWSGW_TSAN_ABSEIL_LIBDIR "" CACHE PATH
    "Folder of abseil's shared libraries built with TSan (tools/tsan-abseil.sh)")
if(AWSGW_TSAN_ABSEIL_LIBDIR)
  if(NOT "thread" IN_LIST AWSGW_SANITIZERS)
    message(FATAL_ERROR "AWSGW_TSAN_ABSEIL_LIBDIR is for AWSGW_SANITIZE=thread")
  endif()
  if(NOT EXISTS "${AWSGW_TSAN_ABSEIL_LIBDIR}/libabsl_synchronization.so.20220623")
    message(FATAL_ERROR "AWSGW_TSAN_ABSEIL_LIBDIR: no libabsl_synchronization.so.20220623 "
                        "in ${AWSGW_TSAN_ABSEIL_LIBDIR} (run tools/tsan-abseil.sh)")
  endif()
  add_link_options(-Wl,--disable-new-dtags "-Wl,-rpath,${AWSGW_TSAN_ABSEIL_LIBDIR}")
elseif("thread" IN_LIST AWSGW_SANITIZERS)
  message(WARNING "TSan without AWSGW_TSAN_ABSEIL_LIBDIR: absl::Mutex is invisible to it, "
                  "so what it guards will be reported as races")
endif()
