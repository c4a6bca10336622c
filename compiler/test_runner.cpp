#include "compiler/test_runner.hpp"

#include <optional>

#include <fmt/format.h>

#include "runtime/case.hpp"
#include "runtime/explain.hpp"
#include "runtime/vm.hpp"

namespace secretc {

namespace {

std::string output_text(const Program& p, std::uint32_t o, const OutputValue& v) {
  if (v.conflict) return "(conflit)";
  const OutputInfo& info = p.outputs[o];
  const Type set{TypeKind::Set, info.enum_id};
  if (!v.settled) {
    return fmt::format("non tranchée, possible {}", p.format_value(set, Value::of(static_cast<std::int64_t>(v.possible))));
  }
  if (!v.value.known) return "inconnue";
  return p.format_value(info.kind == OutputKind::Set ? set : Type{TypeKind::Enum, info.enum_id}, v.value);
}

// How a rule stands in a result, for a failure message.
std::string rule_state(const Program& p, const Result& r, std::uint32_t rule) {
  for (const auto& o : r.overridden) {
    if (o.rule == rule) return fmt::format("écartée par `{}`", p.rules[o.by].name);
  }
  if (r.applies[rule] == Truth::True) return "appliquée";
  if (r.applies[rule] == Truth::Unknown) {
    return r.conditions[rule] == Truth::True ? "appliquée ou écartée, selon des faits inconnus"
                                             : "peut-être appliquée, selon des faits inconnus";
  }
  return r.conditions[rule] == Truth::False ? "non appliquée (condition fausse)" : "non appliquée";
}

std::uint64_t mask_of(const Program& p, std::uint32_t enum_id, const std::vector<std::string>& members) {
  std::uint64_t mask = 0;
  for (const auto& m : members) {
    if (const auto i = p.find_member(enum_id, m)) mask |= std::uint64_t{1} << *i;
  }
  return mask;
}

// What the test asks of the conditional answers, computed once per test when it asks.
struct Dependences {
  Machine& machine;
  const BoundCase& bound;
  const Result& result;
  std::optional<std::vector<Dependence>> computed;

  const std::vector<Dependence>& get() {
    if (!computed) computed = conditional_answers(machine, bound.facts, &bound.given, result);
    return *computed;
  }
};

// Checks one expectation; returns what went wrong, or an empty string.
std::string check(const ast::Expectation& x, const Program& p, const Result& r, Dependences& deps) {
  using ast::ExpectKind;
  switch (x.kind) {
    case ExpectKind::Fired:
    case ExpectKind::NotFired: {
      const auto rule = p.find_rule(x.name);
      if (!rule) return fmt::format("unknown rule `{}`", x.name);
      const Truth want = x.kind == ExpectKind::Fired ? Truth::True : Truth::False;
      if (r.applies[*rule] == want) return {};
      return fmt::format("expected `{}` {}, but it is: {}", x.name,
                         x.kind == ExpectKind::Fired ? "to apply for sure" : "not to apply for sure",
                         rule_state(p, r, *rule));
    }
    case ExpectKind::Proviso: {
      const auto rule = p.find_rule(x.name);
      if (!rule) return fmt::format("unknown rule `{}`", x.name);
      std::size_t first = 0;
      for (std::uint32_t q = 0; q < *rule; ++q) first += p.rules[q].provisos.size();
      for (const auto k : r.provisos) {
        if (k >= first && k < first + p.rules[*rule].provisos.size()) return {};
      }
      return fmt::format("expected the answer to rest on a proviso of `{}`, but it does not (the rule is: {})", x.name,
                         rule_state(p, r, *rule));
    }
    case ExpectKind::DependsOn: {
      const auto fact = p.find_fact(x.name);
      if (!fact) return fmt::format("unknown fact `{}`", x.name);
      for (const Dependence& d : deps.get()) {
        if (d.fact == *fact) return {};
      }
      return fmt::format("expected the answer to depend on `{}`, but no value of it changes the answer", x.name);
    }
    case ExpectKind::Missing: {
      const auto fact = p.find_fact(x.name);
      if (!fact) return fmt::format("unknown fact `{}`", x.name);
      for (const auto m : r.missing) {
        if (m == *fact) return {};
      }
      return fmt::format("expected `{}` among the missing facts, but it is not", x.name);
    }
    case ExpectKind::OutputEquals:
    case ExpectKind::OutputContains:
    case ExpectKind::OutputUnknown:
    case ExpectKind::OutputPossible: {
      const auto o = p.find_output(x.name);
      if (!o) return fmt::format("unknown output `{}`", x.name);
      const OutputInfo& info = p.outputs[*o];
      const OutputValue& v = r.outputs[*o];
      const std::string got = output_text(p, *o, v);
      const std::uint64_t want = mask_of(p, info.enum_id, x.members);
      if (x.kind == ExpectKind::OutputUnknown) {
        return v.settled && !v.value.known ? std::string() : fmt::format("expected `{}` unknown, obtained {}", x.name, got);
      }
      if (x.kind == ExpectKind::OutputPossible) {
        if (!v.settled && v.possible == want) return {};
        return fmt::format("expected `{}` unsettled, possible {{ {} }}, obtained {}", x.name, fmt::join(x.members, ", "), got);
      }
      if (info.kind == OutputKind::Set) {
        const auto have = static_cast<std::uint64_t>(v.value.payload);
        const bool ok = x.kind == ExpectKind::OutputContains ? (have & want) == want : v.settled && have == want;
        if (ok) return {};
        return fmt::format("expected `{}` {} {{ {} }}, obtained {}", x.name,
                           x.kind == ExpectKind::OutputContains ? "to contain" : "=", fmt::join(x.members, ", "), got);
      }
      const auto member = p.find_member(info.enum_id, x.members.at(0));
      if (v.settled && v.value.known && !v.conflict && member && static_cast<std::uint32_t>(v.value.payload) == *member) {
        return {};
      }
      return fmt::format("expected `{} = {}`, obtained {}", x.name, x.members[0], got);
    }
  }
  return {};
}

}  // namespace

TestRun run_tests(const Model& model, const Program& program, std::int64_t today, Diagnostics& diags) {
  TestRun run;
  run.coverage.shown_firing.assign(program.rules.size(), false);
  run.coverage.shown_not_firing.assign(program.rules.size(), false);
  Machine machine(program);
  for (const ast::TestDecl& t : model.ast.tests) {
    TestOutcome outcome{t.name, t.at, false, {}};
    std::vector<CaseEntry> entries;
    for (const ast::GivenValue& g : t.given) entries.push_back({g.name, g.kind, g.text, g.at, g.value_at});
    const std::size_t errors_before = diags.error_count();
    const BoundCase bound = bind_case(program, entries, today, diags);
    if (diags.error_count() != errors_before) {
      outcome.failure = "  the values given do not fit the rulebase (see the errors above)\n";
    } else {
      const Result r = machine.evaluate(bound.facts, &bound.given);
      Dependences deps{machine, bound, r, std::nullopt};
      std::string problems;
      for (const ast::Expectation& x : t.expect) {
        const std::string problem = check(x, program, r, deps);
        if (!problem.empty()) problems += fmt::format("  line {}: {}\n", x.at.line, problem);
        const auto rule = program.find_rule(x.name);
        if (problem.empty() && rule && x.kind == ast::ExpectKind::Fired) run.coverage.shown_firing[*rule] = true;
        if (problem.empty() && rule && x.kind == ast::ExpectKind::NotFired) run.coverage.shown_not_firing[*rule] = true;
      }
      if (problems.empty()) {
        outcome.passed = true;
      } else {
        std::string given;
        for (const auto& g : t.given) given += fmt::format("    {} = {}\n", g.name, g.kind == CaseValueKind::Unknown ? "?" : g.text);
        std::string obtained;
        for (std::uint32_t o = 0; o < program.outputs.size(); ++o) {
          obtained += fmt::format("    {} = {}\n", program.outputs[o].name, output_text(program, o, r.outputs[o]));
        }
        std::vector<std::string> fired;
        for (const auto f : r.fired) fired.push_back(program.rules[f].name);
        obtained += fmt::format("    règles appliquées : {}\n", fired.empty() ? "(aucune)" : fmt::format("{}", fmt::join(fired, ", ")));
        for (const auto& c : r.conflicts) {
          obtained += fmt::format("    conflit sur `{}` entre `{}` et `{}`\n", program.outputs[c.output].name,
                                  program.rules[c.first].name, program.rules[c.second].name);
        }
        outcome.failure = fmt::format("{}  given:\n{}  obtained:\n{}", problems, given.empty() ? "    (nothing)\n" : given, obtained);
      }
    }
    (outcome.passed ? run.passed : run.failed) += 1;
    run.outcomes.push_back(std::move(outcome));
  }
  return run;
}

}  // namespace secretc
