#include "tests/differential/agreement.hpp"

#include <memory>

#include <fmt/format.h>

#include "compiler/compile.hpp"
#include "compiler/parse_case.hpp"
#include "compiler/reference_eval.hpp"
#include "runtime/bytecode.hpp"
#include "runtime/case.hpp"
#include "runtime/vm.hpp"

namespace secretc::differential {

namespace {

// The day bound to facts that default to `today`: fixed, so that a reproducer reproduces.
constexpr std::int64_t kToday = 19844;  // 2024-05-01

const char* truth_name(Truth t) {
  return t == Truth::True ? "true" : t == Truth::False ? "false" : "unknown";
}

}  // namespace

std::string describe_result(const Program& p, const Result& r) {
  std::string out;
  if (r.uncertain) out += "  some fact is unknown\n";
  for (std::size_t o = 0; o < p.outputs.size(); ++o) {
    const OutputInfo& info = p.outputs[o];
    const OutputValue& v = r.outputs[o];
    const Type t{info.kind == OutputKind::Set ? TypeKind::Set : TypeKind::Enum, info.enum_id};
    const Type possible{TypeKind::Set, info.enum_id};
    out += fmt::format("  output {} = {}{}{}, possible {}{}\n", info.name, p.format_value(t, v.value),
                       v.conflict ? " (conflict)" : "", v.settled ? "" : " (not settled)",
                       p.format_value(possible, Value::of(static_cast<std::int64_t>(v.possible))),
                       v.may_be_unknown ? " or none" : "");
  }
  for (std::size_t i = 0; i < r.conditions.size(); ++i) {
    out += fmt::format("  rule {} fires {}, applies {}\n", p.rules[i].name, truth_name(r.conditions[i]),
                       i < r.applies.size() ? truth_name(r.applies[i]) : "(none)");
  }
  for (const std::uint32_t f : r.fired) out += fmt::format("  fired {}\n", p.rules[f].name);
  for (const Overridden& o : r.overridden) {
    out += fmt::format("  overridden {} by {}\n", p.rules[o.rule].name, p.rules[o.by].name);
  }
  for (const Conflict& c : r.conflicts) {
    out += fmt::format("  conflict on {} between {} and {}\n", p.outputs[c.output].name, p.rules[c.first].name,
                       p.rules[c.second].name);
  }
  for (const std::uint32_t k : r.provisos) out += fmt::format("  states proviso {}\n", k);
  for (const std::uint32_t f : r.missing) out += fmt::format("  missing {}\n", p.facts[f].name);
  return out;
}

namespace {

std::string case_text(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& l : lines) text += l + "\n";
  return text;
}

}  // namespace

// --- one compiled rulebase -------------------------------------------------------------------------

std::unique_ptr<Subject> Subject::build(const Files& files, const Mutation& mutate, std::string& error) {
  auto s = std::unique_ptr<Subject>(new Subject());
  s->compilation_ = compile_texts(files);
  if (!s->compilation_.program) {
    error = render_all(s->compilation_.diags, s->compilation_.sources);
    return nullptr;
  }
  return finish(std::move(s), mutate, error);
}

std::unique_ptr<Subject> Subject::from(Compilation compilation, std::string& error) {
  auto s = std::unique_ptr<Subject>(new Subject());
  s->compilation_ = std::move(compilation);
  if (!s->compilation_.program) {
    error = render_all(s->compilation_.diags, s->compilation_.sources);
    return nullptr;
  }
  return finish(std::move(s), {}, error);
}

std::unique_ptr<Subject> Subject::finish(std::unique_ptr<Subject> s, const Mutation& mutate, std::string& error) {
  Program& program = *s->compilation_.program;
  if (mutate) mutate(program);
  if (const std::string problem = verify_program(program); !problem.empty()) {
    error = "the compiled program does not verify: " + problem;
    return nullptr;
  }
  // The file format must carry the program unchanged: the VM also runs the program as loaded.
  const std::string bytes = serialize_program(program);
  auto loaded = load_program(bytes);
  if (auto* e = std::get_if<BytecodeError>(&loaded)) {
    error = "the serialised program does not load: " + e->message;
    return nullptr;
  }
  s->loaded_ = std::make_unique<Program>(std::get<Program>(std::move(loaded)));
  if (serialize_program(*s->loaded_) != bytes) {
    error = "the loaded program serialises to other bytes than the file it was loaded from";
    return nullptr;
  }
  s->vm_ = std::make_unique<Machine>(program);
  s->loaded_vm_ = std::make_unique<Machine>(*s->loaded_);
  // The machine of the compiled program answers every case without unknowns from its decision tree, from
  // the first case on; the other evaluates each case (no tree): both must agree with the reference.
  s->vm_->set_tree_limits(0, 1U << 15, 1024, 0);
  s->loaded_vm_->set_tree_limits(0, 0, 0, 0);
  return s;
}

const Program& Subject::program() const {
  return *compilation_.program;
}

Outcome Subject::check(const std::vector<std::string>& lines, Tally* tally) {
  const Program& program = *compilation_.program;
  SourceSet sources;
  Diagnostics diags;
  const std::uint32_t file = sources.add("case.fact", case_text(lines));
  const std::vector<CaseEntry> entries = parse_case(sources, file, diags);
  const BoundCase bound = diags.has_errors() ? BoundCase{} : bind_case(program, entries, kToday, diags);
  if (diags.has_errors()) return {Outcome::Kind::CaseRejected, render_all(diags, sources)};

  // Both evaluators are told which facts the case wrote: a `?` fact has some value, an unwritten one
  // may have none.
  const std::vector<bool>* written = &bound.given;
  const std::uint64_t tree_hits = vm_->tree_stats().hits;
  const Result vm = vm_->evaluate(bound.facts, written);  // a copy: the machine's result is overwritten next time
  const Result& loaded = loaded_vm_->evaluate(bound.facts, written);
  const Result reference = evaluate_reference(*compilation_.model, bound.facts, written);
  if (tally != nullptr) {
    tally->from_tree += vm_->tree_stats().hits - tree_hits;
    tally->fired += vm.fired.empty() ? 0 : 1;
    tally->overridden += vm.overridden.empty() ? 0 : 1;
    tally->conflicts += vm.conflicts.empty() ? 0 : 1;
    tally->missing += vm.missing.empty() ? 0 : 1;
    tally->provisos += vm.provisos.empty() ? 0 : 1;
    bool unknown_condition = false, unknown_output = false, unsettled = false, in_doubt = false, warning = false;
    for (const Truth t : vm.conditions) unknown_condition = unknown_condition || t == Truth::Unknown;
    for (std::size_t o = 0; o < vm.outputs.size(); ++o) {
      const OutputValue& v = vm.outputs[o];
      unknown_output = unknown_output || !v.value.known;
      unsettled = unsettled || !v.settled;
      in_doubt = in_doubt || (!v.settled && v.value.known && program.outputs[o].kind == OutputKind::Scalar);
    }
    for (const std::uint32_t r : vm.fired) warning = warning || program.rules[r].kind == RuleKind::Warning;
    tally->unknown_conditions += unknown_condition ? 1 : 0;
    tally->unknown_outputs += unknown_output ? 1 : 0;
    tally->unsettled_outputs += unsettled ? 1 : 0;
    tally->values_in_doubt += in_doubt ? 1 : 0;
    tally->warnings += warning ? 1 : 0;
  }
  if (vm == reference && vm == loaded) return {};
  std::string detail;
  if (!(vm == reference)) {
    detail += fmt::format("the VM and the reference evaluator disagree\nVM:\n{}reference:\n{}",
                          describe_result(program, vm), describe_result(program, reference));
  }
  if (!(vm == loaded)) {
    detail += fmt::format("the VM disagrees with itself on the program loaded from bytecode\ncompiled:\n{}loaded:\n{}",
                          describe_result(program, vm), describe_result(program, loaded));
  }
  return {Outcome::Kind::Disagree, detail};
}

std::string Tally::render() const {
  return fmt::format(
      "cases with a fired rule {}, an overridden rule {}, a conflict {}, a missing fact {}, an unknown "
      "condition {}, an output without value {}, an unsettled output {}, a value in doubt {}, a stated "
      "proviso {}, a warning that holds {}; answered from the decision tree {}",
      fired, overridden, conflicts, missing, unknown_conditions, unknown_outputs, unsettled_outputs, values_in_doubt,
      provisos, warnings, from_tree);
}

// --- one input, and its minimisation ------------------------------------------------------------------

Outcome run_case(const Files& files, const std::vector<std::string>& lines, const Mutation& mutate) {
  std::string error;
  const std::unique_ptr<Subject> s = Subject::build(files, mutate, error);
  if (!s) return {Outcome::Kind::NotCompiled, error};
  return s->check(lines);
}

std::string Reproducer::render() const {
  std::string out;
  for (const auto& [name, text] : rulebase.files()) out += fmt::format("----- {}\n{}", name, text);
  out += fmt::format("----- case.fact\n{}", case_text(lines));
  out += fmt::format("----- what differs\n{}", detail);
  return out;
}

Reproducer minimise(GeneratedRulebase rulebase, std::vector<std::string> lines, const Mutation& mutate) {
  const auto disagrees = [&](const GeneratedRulebase& rb, const std::vector<std::string>& l) {
    return run_case(rb.files(), l, mutate).kind == Outcome::Kind::Disagree;
  };
  // Greedy deletion to a fixed point: a fact can go only once the case line giving it is gone, and a
  // rule only once no other rule overrides it, so one pass is not enough.
  bool changed = true;
  while (changed) {
    changed = false;
    for (std::size_t i = rulebase.declarations.size(); i-- > 0;) {
      GeneratedRulebase smaller = rulebase;
      smaller.declarations.erase(smaller.declarations.begin() + static_cast<std::ptrdiff_t>(i));
      if (disagrees(smaller, lines)) {
        rulebase = std::move(smaller);
        changed = true;
      }
    }
    for (std::size_t i = lines.size(); i-- > 0;) {
      std::vector<std::string> fewer = lines;
      fewer.erase(fewer.begin() + static_cast<std::ptrdiff_t>(i));
      if (disagrees(rulebase, fewer)) {
        lines = std::move(fewer);
        changed = true;
      }
    }
  }
  // Files left empty only distract the reader.
  GeneratedRulebase compact;
  for (std::size_t f = 0; f < rulebase.english.size(); ++f) {
    bool used = false;
    for (const Declaration& d : rulebase.declarations) used = used || d.file == f;
    if (!used) continue;
    for (const Declaration& d : rulebase.declarations) {
      if (d.file == f) compact.declarations.push_back({compact.english.size(), d.text});
    }
    compact.english.push_back(rulebase.english[f]);
  }
  if (disagrees(compact, lines)) rulebase = std::move(compact);
  Reproducer r{std::move(rulebase), std::move(lines), {}};
  r.detail = run_case(r.rulebase.files(), r.lines, mutate).detail;
  return r;
}

}  // namespace secretc::differential
