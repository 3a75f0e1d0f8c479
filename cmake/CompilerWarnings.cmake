# One place for the project's warning flags: -Wall -Wextra on every target we build
# (C, C++ and Fortran alike), -Werror on top when MLFLOWCPP_WERROR is on.
function(mlflowcpp_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra $<$<BOOL:${MLFLOWCPP_WERROR}>:-Werror>)
  # Sanitizer instrumentation (MLFLOWCPP_SANITIZE) blurs GCC's view of which objects
  # are initialised: -Wmaybe-uninitialized then reports the standard library's own
  # code (std::regex, std::function), so that one warning is left to the normal build.
  if(MLFLOWCPP_SANITIZE)
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANG_AND_ID:CXX,GNU>:-Wno-maybe-uninitialized>)
  endif()
endfunction()
