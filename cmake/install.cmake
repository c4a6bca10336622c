# What `cmake --install` puts under the prefix:
#   bin/secretc                                  the command (the Belgian rulebase embedded)
#   libexec/secretc/secretc-tools                `serve`, `diff` and `lint`, which bin/secretc runs in their place
#   share/secretc/belgian.secbc                  the Belgian rulebase compiled, for programs embedding secretc
#   include/secretc/capi/secretc.h               the C API
#   include/secretc/runtime/*.hpp, *.def         the C++ runtime's headers
#   lib/libsecretc.so*                           the C API (secretc::capi)
#   lib/libsecretc_runtime.a                     the C++ runtime (secretc::runtime; needs fmt)
#   lib/cmake/secretc/                           the package: find_package(secretc)
# tests/install/ installs into a temporary prefix and builds a small project against it.
include(CMakePackageConfigHelpers)

install(TARGETS secretc RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS secretc_tools RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/secretc)
install(FILES ${SECRETC_STDLIB_SECBC} DESTINATION ${CMAKE_INSTALL_DATADIR}/secretc)
install(TARGETS secretc_runtime secretc_capi EXPORT secretcTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/capi/secretc.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/secretc/capi)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/secretc/runtime
        FILES_MATCHING PATTERN "*.hpp" PATTERN "*.def")

set(SECRETC_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/secretc)
install(EXPORT secretcTargets NAMESPACE secretc:: DESTINATION ${SECRETC_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/secretcConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/secretcConfig.cmake INSTALL_DESTINATION ${SECRETC_CMAKE_DIR}
                              PATH_VARS CMAKE_INSTALL_DATADIR)
# 0.x: a minor version may change the API.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/secretcConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/secretcConfig.cmake ${PROJECT_BINARY_DIR}/secretcConfigVersion.cmake
        DESTINATION ${SECRETC_CMAKE_DIR})
