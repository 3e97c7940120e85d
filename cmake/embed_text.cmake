# cmake -DINPUT=file -DOUTPUT=header -DSYMBOL=name -P embed_text.cmake
# Writes a header that holds INPUT's text as `inline constexpr std::string_view SYMBOL` (a raw string literal).
# Run at build time by tessie_embed_text (sdk/CMakeLists.txt) whenever INPUT changes.
file(READ "${INPUT}" content)
set(delimiter "tessie_embed")
string(FIND "${content}" ")${delimiter}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw string delimiter )${delimiter}\"")
endif()
file(WRITE "${OUTPUT}.tmp"
  "// Generated at build time from ${INPUT}; edit that file instead.\n"
  "#pragma once\n#include <string_view>\n\n"
  "inline constexpr std::string_view ${SYMBOL} = R\"${delimiter}(${content})${delimiter}\";\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
