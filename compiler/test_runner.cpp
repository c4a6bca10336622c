#include "compiler/test_runner.hpp"

#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "runtime/case.hpp"
#include "runtime/explain.hpp"
#include "runtime/messages.hpp"
#include "runtime/vm.hpp"

namespace secretc {

namespace {

// The catalogue's text of a message, in the language of the run.
struct Texts {
  TextLang lang;
  template <typename... Args>
  std::string operator()(Msg id, const Args&... args) const {
    return message_text(msg(id, args...), lang);
  }
};

std::string output_text(const Program& p, std::uint32_t o, const OutputValue& v, const Texts& t) {
  if (v.conflict) return t(Msg::TestValueConflict);
  const OutputInfo& info = p.outputs[o];
  const Type set{TypeKind::Set, info.enum_id};
  if (!v.settled) {
    return t(Msg::TestValueUnsettled, p.format_value(set, Value::of(static_cast<std::int64_t>(v.possible))));
  }
  if (!v.value.known) return t(Msg::TestValueUnknown);
  return p.format_value(info.kind == OutputKind::Set ? set : Type{TypeKind::Enum, info.enum_id}, v.value);
}

// How a rule stands in a result, for a failure message.
std::string rule_state(const Program& p, const Result& r, std::uint32_t rule, const Texts& t) {
  for (const auto& o : r.overridden) {
    if (o.rule == rule) return t(Msg::TestRuleOverridden, p.rules[o.by].name);
  }
  if (r.applies[rule] == Truth::True) return t(Msg::TestRuleFired);
  if (r.applies[rule] == Truth::Unknown) {
    return t(r.conditions[rule] == Truth::True ? Msg::TestRuleFiredOrOverridden : Msg::TestRulePerhapsFired);
  }
  return t(r.conditions[rule] == Truth::False ? Msg::TestRuleNotFiredFalse : Msg::TestRuleNotFired);
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

// The code point at `s[i]` folded to its small letter when it is a capital this folding knows, as UTF-8
// bytes; advances i past it.
std::string folded_char(std::string_view s, std::size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b >= 'A' && b <= 'Z') {
    ++i;
    return std::string(1, static_cast<char>(b - 'A' + 'a'));
  }
  if (i + 1 < s.size()) {
    const auto c = static_cast<unsigned char>(s[i + 1]);
    // U+00C0–U+00DE (À … Þ, but × U+00D7) → U+00E0–U+00FE.
    if (b == 0xC3 && c >= 0x80 && c <= 0x9E && c != 0x97) {
      i += 2;
      return std::string{static_cast<char>(0xC3), static_cast<char>(c + 0x20)};
    }
    if (b == 0xC5 && c == 0x92) {  // Œ → œ
      i += 2;
      return "\xC5\x93";
    }
    if (b == 0xC5 && c == 0xB8) {  // Ÿ → ÿ
      i += 2;
      return "\xC3\xBF";
    }
  }
  ++i;
  return std::string(1, static_cast<char>(b));
}

std::string folded(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) out += folded_char(s, i);
  return out;
}

// Checks one expectation; returns what went wrong, or an empty string.
std::string check(const ast::Expectation& x, const Program& p, const Result& r, Dependences& deps, const Texts& t) {
  using ast::ExpectKind;
  switch (x.kind) {
    case ExpectKind::Fired:
    case ExpectKind::NotFired: {
      const auto rule = p.find_rule(x.name);
      if (!rule) return t(Msg::TestUnknownRule, x.name);
      const Truth want = x.kind == ExpectKind::Fired ? Truth::True : Truth::False;
      if (r.applies[*rule] == want) return {};
      return t(x.kind == ExpectKind::Fired ? Msg::TestExpectedFired : Msg::TestExpectedNotFired, x.name,
               rule_state(p, r, *rule, t));
    }
    case ExpectKind::Proviso: {
      const auto rule = p.find_rule(x.name);
      if (!rule) return t(Msg::TestUnknownRule, x.name);
      std::size_t first = 0;
      for (std::uint32_t q = 0; q < *rule; ++q) first += p.rules[q].provisos.size();
      for (const auto k : r.provisos) {
        if (k >= first && k < first + p.rules[*rule].provisos.size()) return {};
      }
      return t(Msg::TestExpectedProviso, x.name, rule_state(p, r, *rule, t));
    }
    case ExpectKind::DependsOn: {
      const auto fact = p.find_fact(x.name);
      if (!fact) return t(Msg::TestUnknownFact, x.name);
      for (const Dependence& d : deps.get()) {
        if (d.fact == *fact) return {};
      }
      return t(Msg::TestExpectedDependsOn, x.name);
    }
    case ExpectKind::Missing: {
      const auto fact = p.find_fact(x.name);
      if (!fact) return t(Msg::TestUnknownFact, x.name);
      for (const auto m : r.missing) {
        if (m == *fact) return {};
      }
      return t(Msg::TestExpectedMissing, x.name);
    }
    case ExpectKind::OutputEquals:
    case ExpectKind::OutputContains:
    case ExpectKind::OutputUnknown:
    case ExpectKind::OutputPossible: {
      const auto o = p.find_output(x.name);
      if (!o) return t(Msg::TestUnknownOutput, x.name);
      const OutputInfo& info = p.outputs[*o];
      const OutputValue& v = r.outputs[*o];
      const std::string got = output_text(p, *o, v, t);
      const std::uint64_t want = mask_of(p, info.enum_id, x.members);
      if (x.kind == ExpectKind::OutputUnknown) {
        return v.settled && !v.value.known ? std::string() : t(Msg::TestExpectedUnknown, x.name, got);
      }
      if (x.kind == ExpectKind::OutputPossible) {
        if (!v.settled && v.possible == want) return {};
        return t(Msg::TestExpectedPossible, x.name, fmt::format("{}", fmt::join(x.members, ", ")), got);
      }
      if (info.kind == OutputKind::Set) {
        const auto have = static_cast<std::uint64_t>(v.value.payload);
        const bool ok = x.kind == ExpectKind::OutputContains ? (have & want) == want : v.settled && have == want;
        if (ok) return {};
        return t(x.kind == ExpectKind::OutputContains ? Msg::TestExpectedContains : Msg::TestExpectedSetEquals, x.name,
                 fmt::format("{}", fmt::join(x.members, ", ")), got);
      }
      const auto member = p.find_member(info.enum_id, x.members.at(0));
      if (v.settled && v.value.known && !v.conflict && member &&
          static_cast<std::uint32_t>(v.value.payload) == *member) {
        return {};
      }
      return t(Msg::TestExpectedEquals, x.name, x.members[0], got);
    }
  }
  return {};
}

}  // namespace

bool test_name_matches(std::string_view name, std::string_view filter) {
  return folded(name).find(folded(filter)) != std::string::npos;
}

TestRun run_tests(const Model& model, const Program& program, std::int64_t today, Diagnostics& diags, TextLang lang,
                  const TestSelection& selection) {
  const Texts text{lang};
  TestRun run;
  run.coverage.shown_firing.assign(program.rules.size(), false);
  run.coverage.shown_not_firing.assign(program.rules.size(), false);
  Machine machine(program);
  const std::string filter = folded(selection.filter);
  for (const ast::TestDecl& t : model.ast.tests) {
    if (!selection.files.empty() && (t.at.file >= selection.files.size() || !selection.files[t.at.file])) continue;
    if (!filter.empty() && folded(t.name).find(filter) == std::string::npos) {
      ++run.filtered_out;
      continue;
    }
    TestOutcome outcome{t.name, t.at, false, {}};
    std::vector<CaseEntry> entries;
    for (const ast::GivenValue& g : t.given) entries.push_back({g.name, g.kind, g.text, g.at, g.value_at});
    const std::size_t errors_before = diags.error_count();
    const BoundCase bound = bind_case(program, entries, today, diags);
    if (diags.error_count() != errors_before) {
      outcome.failure = text(Msg::TestGivenDoesNotFit) + "\n";
    } else {
      const Result r = machine.evaluate(bound.facts, &bound.given);
      Dependences deps{machine, bound, r, std::nullopt};
      std::string problems;
      for (const ast::Expectation& x : t.expect) {
        const std::string problem = check(x, program, r, deps, text);
        if (!problem.empty()) problems += text(Msg::TestFailureAtLine, x.at.line, problem) + "\n";
        const auto rule = program.find_rule(x.name);
        if (problem.empty() && rule && x.kind == ast::ExpectKind::Fired) run.coverage.shown_firing[*rule] = true;
        if (problem.empty() && rule && x.kind == ast::ExpectKind::NotFired) run.coverage.shown_not_firing[*rule] = true;
      }
      if (problems.empty()) {
        outcome.passed = true;
      } else {
        std::string given;
        for (const auto& g : t.given)
          given += fmt::format("    {} = {}\n", g.name, g.kind == CaseValueKind::Unknown ? "?" : g.text);
        std::string obtained;
        for (std::uint32_t o = 0; o < program.outputs.size(); ++o) {
          obtained +=
              fmt::format("    {} = {}\n", program.outputs[o].name, output_text(program, o, r.outputs[o], text));
        }
        std::vector<std::string> fired;
        for (const auto f : r.fired) fired.push_back(program.rules[f].name);
        obtained += text(Msg::TestFailureFired,
                         fired.empty() ? text(Msg::TestFailureFiredNone) : fmt::format("{}", fmt::join(fired, ", "))) +
                    "\n";
        for (const auto& c : r.conflicts) {
          obtained += text(Msg::TestFailureConflict, program.outputs[c.output].name, program.rules[c.first].name,
                           program.rules[c.second].name) +
                      "\n";
        }
        outcome.failure = fmt::format("{}{}\n{}{}\n{}", problems, text(Msg::TestFailureGiven),
                                      given.empty() ? text(Msg::TestFailureGivenNothing) + "\n" : given,
                                      text(Msg::TestFailureObtained), obtained);
      }
    }
    (outcome.passed ? run.passed : run.failed) += 1;
    run.outcomes.push_back(std::move(outcome));
  }
  return run;
}

}  // namespace secretc
