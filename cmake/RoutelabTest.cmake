# routelab_add_test(name LABELS l1 [l2...] SOURCES s1 ... [DEPS lib...] [PROPERTY])
# Every test is one executable, registered with CTest under its labels
# (unit, property, determinism, interop, soak, fuzz). Catch2 main comes from Catch2WithMain;
# PROPERTY adds RapidCheck and its Catch integration.
function(routelab_add_test name)
  cmake_parse_arguments(ARG "PROPERTY" "TIMEOUT" "LABELS;SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} Catch2::Catch2WithMain)
  if(ARG_PROPERTY)
    target_link_libraries(${name} PRIVATE rapidcheck rapidcheck_catch)
  endif()
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  routelab_warnings(${name})
  add_test(NAME ${name} COMMAND ${name} --use-colour no)
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT}
    ENVIRONMENT "ROUTELAB_SOURCE_DIR=${PROJECT_SOURCE_DIR};ROUTELAB_BINARY_DIR=${PROJECT_BINARY_DIR}")
endfunction()

# routelab_add_script_test(name LABELS ... COMMAND ...): a test that is a command line.
function(routelab_add_script_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "LABELS;COMMAND" ${ARGN})
  add_test(NAME ${name} COMMAND ${ARG_COMMAND})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT}
    ENVIRONMENT "ROUTELAB_SOURCE_DIR=${PROJECT_SOURCE_DIR};ROUTELAB_BINARY_DIR=${PROJECT_BINARY_DIR}")
endfunction()
