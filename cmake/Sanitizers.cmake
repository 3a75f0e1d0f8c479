# MLFLOWCPP_SANITIZE=address,undefined (any list -fsanitize= takes) instruments every
# target of the project, compile and link alike. Frame pointers keep the reports'
# stacks whole; UBSan stops at its first finding instead of printing and going on.
function(mlflowcpp_enable_sanitizers sanitizers)
  if(sanitizers STREQUAL "")
    return()
  endif()
  message(STATUS "Building with -fsanitize=${sanitizers}")
  add_compile_options(-fsanitize=${sanitizers} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${sanitizers})
endfunction()
