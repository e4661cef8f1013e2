# routelab_warnings(target): the strict warning set every project target compiles with.
function(routelab_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough
    -Wconversion -Wsign-conversion)
  if(ROUTELAB_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# routelab_library(name SOURCES ... DEPS ...): one static library per module.
function(routelab_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  routelab_warnings(${name})
endfunction()
