// What the fuzz targets share: how a broken invariant stops the run, and well-typed cases for the VM.
//
// Invalid input is never a finding: every target expects clean diagnostics for it. A finding is a crash,
// a sanitizer report, a hang, or one of the invariants below failing (fuzz_fail aborts, so libFuzzer
// saves the input).
#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "compiler/compile.hpp"
#include "compiler/model.hpp"
#include "compiler/reference_eval.hpp"
#include "runtime/bytecode.hpp"
#include "runtime/explain.hpp"
#include "runtime/program.hpp"
#include "runtime/vm.hpp"

namespace secretc::fuzz {

[[noreturn]] inline void fuzz_fail(std::string_view what, std::string_view detail = {}) {
  fmt::print(stderr, "fuzz invariant broken: {}\n{}\n", what, detail);
  std::abort();
}

// The Belgian rulebase (stdlib-rules/), compiled once, for the targets that read cases against it.
inline const Compilation& belgian_rulebase() {
  static const auto compiled = [] {
    auto c = std::make_unique<Compilation>(compile_paths({std::string(SECRETC_SOURCE_DIR) + "/stdlib-rules"}));
    if (!c->program) fuzz_fail("stdlib-rules/ does not compile", render_all(c->diags, c->sources));
    return c;
  }();
  return *compiled;
}

// A case for the VM: one value per fact, each of the fact's type, and per fact whether the case
// wrote it (an unknown fact written `?` has some value; one not written may have none).
struct FuzzCase {
  std::vector<Value> facts;
  std::vector<bool> written;
};

// The facts are chosen by `choice` among: unknown (written `?` or not written), the default, and the
// program's constants of that type. The VM assumes facts are well typed (bind_case guarantees it).
inline FuzzCase case_for(const Program& p, std::uint64_t choice) {
  FuzzCase c{std::vector<Value>(p.facts.size()), std::vector<bool>(p.facts.size(), true)};
  for (std::size_t i = 0; i < p.facts.size(); ++i) {
    const FactInfo& f = p.facts[i];
    const std::uint64_t pick = (choice >> ((i * 3) % 60)) & 7U;
    if (pick == 0 || pick == 7) {
      c.written[i] = pick == 7;  // unknown: `?`, or not written at all
      continue;
    }
    if (pick == 1 && f.default_kind == DefaultKind::Constant) {
      c.facts[i] = f.default_value;
      continue;
    }
    if (f.type.kind == TypeKind::Bool) {
      c.facts[i] = Value::of(pick & 1U);
    } else if (f.type.kind == TypeKind::Enum && f.type.enum_id < p.enums.size()) {
      c.facts[i] = Value::of(static_cast<std::int64_t>(pick % p.enums[f.type.enum_id].members.size()));
    } else {
      // The constants of a verified program are valid values of their types.
      std::vector<Value> same;
      for (std::size_t k = 0; k < p.constants.size(); ++k) {
        if (p.constant_types[k] == f.type) same.push_back(p.constants[k]);
      }
      if (!same.empty()) c.facts[i] = same[pick % same.size()];
    }
  }
  return c;
}

// Runs the VM on a case, and its conditional answers (which run it again, once per value of each
// open question): a verified program must survive both on any well-typed case.
inline Result evaluate_with_branches(Machine& machine, const std::vector<Value>& facts,
                                     const std::vector<bool>& written) {
  const Result result = machine.evaluate(facts, &written);  // a copy: conditional_answers reuses the machine
  const std::vector<Dependence> deps = conditional_answers(machine, facts, &written, result);
  for (const Dependence& d : deps) {
    if (d.branches.size() < 2 || d.fact >= facts.size()) fuzz_fail("a conditional answer with fewer than two branches");
  }
  return result;
}

// The VM and the reference evaluator agree, both told which facts the case wrote (tests/differential/
// does this on generated rulebases).
inline void require_agreement(const Model& model, const Program& program, const std::vector<Value>& facts,
                              const std::vector<bool>& written) {
  Machine machine(program);
  const Result vm = evaluate_with_branches(machine, facts, written);
  const Result reference = evaluate_reference(model, facts, &written);
  if (!(vm == reference)) fuzz_fail("the VM and the reference evaluator disagree");
}

// A program's file must load back to a program that serialises to the same bytes.
inline void require_round_trip(const Program& program) {
  const std::string bytes = serialize_program(program);
  auto loaded = load_program(bytes);
  if (const auto* e = std::get_if<BytecodeError>(&loaded)) fuzz_fail("a compiled program does not load", e->message);
  if (serialize_program(std::get<Program>(loaded)) != bytes) fuzz_fail("a loaded program serialises differently");
}

}  // namespace secretc::fuzz
