# One place for the project's warning flags: -Wall -Wextra on every target we build
# (C, C++ and Fortran alike), -Werror on top when MLFLOWCPP_WERROR is on.
function(mlflowcpp_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra $<$<BOOL:${MLFLOWCPP_WERROR}>:-Werror>)
endfunction()
