# The Debian package (cpack -G DEB in the build folder): the gateway binary,
# the example configuration as a conffile under /etc/aws-grpc-gateway/, the
# systemd unit, and maintainer scripts that add the system user the unit
# runs as. dpkg-shlibdeps derives the library dependencies from the binary,
# so the package (and the container image, which installs it) names exactly
# the runtime libraries this build links.
include(GNUInstallDirs)

install(TARGETS aws-grpc-gateway RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES "${CMAKE_SOURCE_DIR}/deploy/gateway.yaml"
        DESTINATION /etc/aws-grpc-gateway)
install(FILES "${CMAKE_SOURCE_DIR}/deploy/systemd/aws-grpc-gateway.service"
        DESTINATION /lib/systemd/system)
# The licence as Debian packages state it (copyright, naming Apache-2.0 in
# /usr/share/common-licenses), with the NOTICE the AWS models ask for.
install(FILES "${CMAKE_SOURCE_DIR}/README.md" "${CMAKE_SOURCE_DIR}/NOTICE"
              "${CMAKE_SOURCE_DIR}/CHANGELOG.md" "${CMAKE_SOURCE_DIR}/deploy/debian/copyright"
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/aws-grpc-gateway)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME aws-grpc-gateway)
set(CPACK_PACKAGE_VENDOR "aws-grpc-gateway")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "gRPC gateway to AWS control-plane APIs")
set(CPACK_PACKAGE_DESCRIPTION
    "Serves App Runner, Amplify, AppConfig, ECS and the Serverless Application Repository over typed gRPC, signs every call with SigV4 under the gateway's own AWS identity, and streams the status of long-running work.")
set(CPACK_PACKAGE_CONTACT "aws-grpc-gateway maintainers <maintainers@aws-grpc-gateway.invalid>")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# useradd in postinst; kill for the unit's ExecReload; ca-certificates for
# HTTPS to AWS.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "passwd, procps, ca-certificates")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${CMAKE_SOURCE_DIR}/deploy/debian/conffiles"
    "${CMAKE_SOURCE_DIR}/deploy/debian/postinst"
    "${CMAKE_SOURCE_DIR}/deploy/debian/prerm"
    "${CMAKE_SOURCE_DIR}/deploy/debian/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Only the gateway: the libraries' and tests' own install rules stay out.
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# Packages carry no debug information; and cpack packs what is built, it
# does not build the whole tree (tests, benchmarks) first.
set(CPACK_STRIP_FILES ON)
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
include(CPack)
