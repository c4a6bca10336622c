// Lowering a checked model to bytecode: straight-line three-valued code over slots.
#pragma once

#include "compiler/model.hpp"
#include "runtime/program.hpp"

namespace secretc {

// The model must have been checked without errors.
Program lower_program(const Model& model);

}  // namespace secretc
