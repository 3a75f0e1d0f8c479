include(CMakePackageConfigHelpers)

install(TARGETS mlflowcpp EXPORT mlflowcppTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/mlflowcpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# The generated public headers (version.hpp, export.hpp) beside the written ones.
install(DIRECTORY ${PROJECT_BINARY_DIR}/include/mlflowcpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT mlflowcppTargets NAMESPACE mlflowcpp:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/mlflowcpp)

configure_package_config_file(cmake/mlflowcppConfig.cmake.in
  ${PROJECT_BINARY_DIR}/mlflowcppConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/mlflowcpp)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/mlflowcppConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/mlflowcppConfig.cmake ${PROJECT_BINARY_DIR}/mlflowcppConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/mlflowcpp)

# A static libmlflowcpp.a wants its users to compile with MLFLOWCPP_STATIC_DEFINE (see src/CMakeLists.txt).
get_target_property(MLFLOWCPP_LIBRARY_TYPE mlflowcpp TYPE)
if(MLFLOWCPP_LIBRARY_TYPE STREQUAL "STATIC_LIBRARY")
  set(MLFLOWCPP_PC_CFLAGS "-DMLFLOWCPP_STATIC_DEFINE")
endif()
configure_file(cmake/mlflowcpp.pc.in ${PROJECT_BINARY_DIR}/mlflowcpp.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/mlflowcpp.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# The in-process store module of offline runs, next to the library, where the client's loader finds it by its soname.
if(TARGET mlflowcpp_store_module)
  install(TARGETS mlflowcpp_store_module EXPORT mlflowcppStoreTargets
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(EXPORT mlflowcppStoreTargets NAMESPACE mlflowcpp:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/mlflowcpp)
endif()

if(TARGET mlflowcpp_cli)
  install(TARGETS mlflowcpp_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
