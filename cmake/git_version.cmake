# Writes lanesim/version.h with the commit the build is made from (git describe --always --dirty), at every
# build (the ls_version target), so that `lanesim --version`, the output files and the benchmarks name the
# commit that was built, not the one CMake configured at. configure_file rewrites the file only when its
# text changes, so nothing is recompiled while the commit stays the same.
# In: SRC (source folder), IN (version.h.in), OUT, PROJECT_VERSION{,_MAJOR,_MINOR,_PATCH}.
execute_process(COMMAND git describe --always --dirty
                WORKING_DIRECTORY ${SRC}
                OUTPUT_VARIABLE LANESIM_GIT OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT LANESIM_GIT)
  set(LANESIM_GIT "unknown")
endif()
configure_file(${IN} ${OUT} @ONLY)
