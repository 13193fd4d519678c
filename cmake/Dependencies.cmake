# Finds every third-party dependency. Each comes from a Debian 12 package;
# a missing one stops configuration with the package to install.

macro(awsgw_require found package)
  if(NOT ${found})
    message(FATAL_ERROR "Missing dependency: install the Debian package '${package}' "
                        "(tools/install-deps.sh installs everything).")
  endif()
endmacro()

find_package(Threads REQUIRED)

find_package(Protobuf QUIET)
awsgw_require(Protobuf_FOUND "libprotobuf-dev protobuf-compiler")
find_program(AWSGW_PROTOC protoc)
awsgw_require(AWSGW_PROTOC "protobuf-compiler")

find_package(absl CONFIG QUIET)
awsgw_require(absl_FOUND "libabsl-dev")

find_package(gRPC CONFIG QUIET)
awsgw_require(gRPC_FOUND "libgrpc++-dev")
find_program(AWSGW_GRPC_CPP_PLUGIN grpc_cpp_plugin)
find_program(AWSGW_GRPC_PYTHON_PLUGIN grpc_python_plugin)
awsgw_require(AWSGW_GRPC_CPP_PLUGIN "protobuf-compiler-grpc")
awsgw_require(AWSGW_GRPC_PYTHON_PLUGIN "protobuf-compiler-grpc")

find_package(OpenSSL 3 QUIET)
awsgw_require(OPENSSL_FOUND "libssl-dev")

find_package(Boost 1.81 QUIET COMPONENTS json url)
awsgw_require(Boost_FOUND "libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev")

# STS answers in XML (credential providers).
find_package(LibXml2 QUIET)
awsgw_require(LibXml2_FOUND "libxml2-dev")

find_package(yaml-cpp QUIET)
awsgw_require(yaml-cpp_FOUND "libyaml-cpp-dev")

find_package(GTest QUIET)
awsgw_require(GTest_FOUND "libgtest-dev libgmock-dev")
include(GoogleTest)

find_package(benchmark QUIET)
awsgw_require(benchmark_FOUND "libbenchmark-dev")

# Interpreter for the generator, end-to-end tests and oracles: Debian's, which
# sees python3-grpcio, python3-protobuf and python3-botocore.
set(AWSGW_PYTHON /usr/bin/python3 CACHE FILEPATH "Python with Debian's python3-* packages")
