# The compiler warnings every target of the project builds with (conventions: "the same warnings on every
# target"). Included by the top-level CMakeLists.txt and by sim/CMakeLists.txt when the simulator is built on
# its own. There is no -Werror: a warning is fixed where it shows up, not hidden from the build log.
include_guard(GLOBAL)

# -Wno-missing-field-initializers: the SDK's option structs are meant to be filled in part, with designated
# initializers (`{.is_public = true}`, `{.name = "poll", .interval = ...}`, ConfigField without `validate`);
# -Wextra would flag every such call.
set(TESSIE_WARNING_FLAGS -Wall -Wextra -Wno-missing-field-initializers)

# tessie_warnings(target...)
# Adds TESSIE_WARNING_FLAGS to each target's own sources (PRIVATE: never to the targets that link it).
function(tessie_warnings)
  foreach(target ${ARGN})
    target_compile_options(${target} PRIVATE ${TESSIE_WARNING_FLAGS})
  endforeach()
endfunction()
