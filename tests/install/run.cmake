# `cmake --install` into a fresh prefix, then a project outside secretc (consumer/) configured with
# find_package(secretc) against that prefix, built and run: its C program (C API) and C++ program (runtime)
# must give the answer of the installed `secretc check` for the same case.
#   cmake -DBUILD=… -DWORK=… -DSOURCE=… -DGENERATOR=… -DC_COMPILER=… -DCXX_COMPILER=… -DLAUNCHER=…
#         -DBUILD_TYPE=… -DCXX_FLAGS=… -DEXE_LINKER_FLAGS=… -P run.cmake
file(REMOVE_RECURSE "${WORK}")
set(prefix "${WORK}/prefix")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "failed (${code}): ${ARGN}\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} --install "${BUILD}" --prefix "${prefix}")
foreach(f bin/secretc libexec/secretc/secretc-tools share/secretc/belgian.secbc include/secretc/capi/secretc.h include/secretc/runtime/vm.hpp
          include/secretc/runtime/opcodes.def lib/cmake/secretc/secretcConfig.cmake)
  if(NOT EXISTS "${prefix}/${f}")
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()

# `lint` (and `diff`, `serve`) run from the installed secretc-tools: the installed secretc finds it.
execute_process(COMMAND "${prefix}/bin/secretc" lint --format json --exit-zero "${SOURCE}/../data/mini/rulebase.rules"
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "the installed `secretc lint` failed (${code}):\n${out}\n${err}")
endif()
string(JSON findings ERROR_VARIABLE json_error LENGTH "${out}" findings)
if(json_error)
  message(FATAL_ERROR "the installed `secretc lint --format json` printed no findings list: ${json_error}\n${out}")
endif()

# The consumer is built with the compilers, launcher (ccache) and flags of this build (the sanitize build's
# library needs its runtime at link time).
set(launch "")
if(LAUNCHER)
  set(launch -DCMAKE_C_COMPILER_LAUNCHER=${LAUNCHER} -DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER})
endif()
run(${CMAKE_COMMAND} -S "${SOURCE}/consumer" -B "${WORK}/build" -G "${GENERATOR}" -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_C_COMPILER=${C_COMPILER} -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_BUILD_TYPE=${BUILD_TYPE}
    "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_C_FLAGS=${CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${EXE_LINKER_FLAGS}"
    ${launch})
run(${CMAKE_COMMAND} --build "${WORK}/build")

file(WRITE "${WORK}/medecin.fact" "cas.date = 2024-05-01\nconfident.fonction = medecin\nsituation = temoignage_en_justice\n")
run("${prefix}/bin/secretc" check --format json "${WORK}/medecin.fact")
string(JSON verdict GET "${out}" outputs verdict)
string(JSON settled GET "${out}" status verdict settled)
# The rules that apply: the grounds, and the warnings that are rules (not the date's `after_as_of`).
string(JSON fired LENGTH "${out}" grounds)
string(JSON warnings LENGTH "${out}" warnings)
if(warnings GREATER 0)
  math(EXPR last "${warnings} - 1")
  foreach(i RANGE ${last})
    string(JSON kind GET "${out}" warnings ${i} kind)
    if(kind STREQUAL "warning")
      math(EXPR fired "${fired} + 1")
    endif()
  endforeach()
endif()
if(settled)
  set(settled 1)
else()
  set(settled 0)
endif()
set(expected "verdict=${verdict} settled=${settled} fired=${fired}\n")
foreach(program consumer_c consumer_cpp)
  run("${WORK}/build/${program}")
  if(NOT out STREQUAL expected)
    message(FATAL_ERROR "${program} printed\n  ${out}the installed secretc check says\n  ${expected}")
  endif()
  message(STATUS "${program}: ${out}")
endforeach()
