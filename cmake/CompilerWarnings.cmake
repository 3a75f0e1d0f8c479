# One place for the project's warning flags: -Wall -Wextra -Werror on every target we build.
function(mlflowcpp_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
endfunction()
