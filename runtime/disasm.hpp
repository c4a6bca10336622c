// A readable listing of a compiled program, for `secretc disasm` and for reading what the compiler made:
// the header, every table (strings, enums, facts, outputs, rules, constants, slots) and the code, one
// instruction per line with its operands decoded by kind.
#pragma once

#include <string>

#include "runtime/program.hpp"

namespace secretc {

// Meant for verified programs (runtime/bytecode.hpp); an index out of range is printed as `?N`
// rather than followed, so a listing of a broken program can still show where it breaks.
std::string disassemble(const Program& program);

}  // namespace secretc
