#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "compiler/parse_case.hpp"

#include "runtime/bytecode.hpp"
#include "tests/compiler/support.hpp"

using namespace secretc;
using namespace secretc::testing;

namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Compilation mini() {
  return compile_paths({std::string(SECRETC_SOURCE_DIR) + "/tests/data/mini"});
}

const char* kConflicting = R"(
rulebase "conflict" version "1"
fact a : bool
fact b : bool
fact c : bool
output v : enum { keep, may, must } = keep
output s : set of enum { x, y, z }
rule general when a then v = may, s += x
rule special overrides general when b then v = keep, s += y
rule other when c then v = must, s += z
)";

}  // namespace

TEST_CASE("a rule whose facts are unknown does not fire, and the default stands") {
  const auto c = mini();
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
  Machine m(*c.program);
  const Result& r = m.evaluate(bind(*c.program, {{"who.role", "social_worker"}, {"to.recipient", "court"}, {"cas.date", "2024-05-01"}}).facts);
  CHECK(output_of(*c.program, r, "verdict") == "keep_secret");
  CHECK_FALSE(fired(*c.program, r, "testimony"));
  bool asks_for_summons = false;
  for (const auto f : r.missing) asks_for_summons = asks_for_summons || c.program->facts[f].name == "witness.summoned";
  CHECK(asks_for_summons);
}

TEST_CASE("an overriding rule sets aside all the effects of the rule it overrides") {
  const auto c = compile_one(kConflicting);
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
  Machine m(*c.program);
  const Result& r = m.evaluate(bind(*c.program, {{"a", "true"}, {"b", "true"}, {"c", "false"}}).facts);
  CHECK(output_of(*c.program, r, "v") == "keep");
  CHECK(output_of(*c.program, r, "s") == "{ y }");
  REQUIRE(r.overridden.size() == 1);
  CHECK(c.program->rules[r.overridden[0].rule].name == "general");
  CHECK(c.program->rules[r.overridden[0].by].name == "special");
}

TEST_CASE("two firing rules without precedence are a conflict naming both, never decided by order") {
  const auto c = compile_one(kConflicting);
  REQUIRE(c.program.has_value());
  Machine m(*c.program);
  const Result& r = m.evaluate(bind(*c.program, {{"a", "true"}, {"b", "false"}, {"c", "true"}}).facts);
  REQUIRE(r.conflicts.size() == 1);
  CHECK(c.program->rules[r.conflicts[0].first].name == "general");
  CHECK(c.program->rules[r.conflicts[0].second].name == "other");
  CHECK(output_of(*c.program, r, "v") == "<conflict>");
  CHECK(output_of(*c.program, r, "s") == "{ x, z }");  // sets accumulate every firing rule
}

TEST_CASE("an unknown overriding rule makes its facts missing") {
  const auto c = compile_one(kConflicting);
  REQUIRE(c.program.has_value());
  Machine m(*c.program);
  const Result& r = m.evaluate(bind(*c.program, {{"a", "true"}, {"c", "false"}}).facts);
  CHECK(output_of(*c.program, r, "v") == "may");
  REQUIRE(r.missing.size() == 1);
  CHECK(c.program->facts[r.missing[0]].name == "b");
}

TEST_CASE("a dated rule applies only within its period") {
  const auto c = mini();
  REQUIRE(c.program.has_value());
  Machine m(*c.program);
  const auto p2018 = bind(*c.program, {{"who.role", "doctor"}, {"to.recipient", "prosecutor"}, {"cas.date", "2018-05-01"}});
  CHECK(output_of(*c.program, m.evaluate(p2018.facts), "verdict") == "must_disclose");
  const auto p2019 = bind(*c.program, {{"who.role", "doctor"}, {"to.recipient", "prosecutor"}, {"cas.date", "2019-03-14"}});
  CHECK(output_of(*c.program, m.evaluate(p2019.facts), "verdict") == "keep_secret");
  const auto p2019b = bind(*c.program, {{"who.role", "doctor"}, {"to.recipient", "prosecutor"}, {"cas.date", "2019-03-13"}});
  CHECK(output_of(*c.program, m.evaluate(p2019b.facts), "verdict") == "must_disclose");
}

TEST_CASE("the compiled program survives serialisation and loading") {
  const auto c = mini();
  REQUIRE(c.program.has_value());
  const std::string bytes = serialize_program(*c.program);
  auto loaded = load_program(bytes);
  REQUIRE(std::holds_alternative<Program>(loaded));
  CHECK(serialize_program(std::get<Program>(loaded)) == bytes);
}

namespace {

// A random case: every fact unknown with probability 1/4, otherwise a value of its type drawn from
// a small pool that hits the boundaries the rules test.
std::vector<Value> random_case(const Program& p, std::mt19937& rng) {
  static const std::vector<std::string> articles{"371/1", "372", "375", "377", "377bis", "377quater", "392", "394",
                                                 "398", "405ter", "406", "458"};
  std::vector<Value> facts;
  for (const FactInfo& f : p.facts) {
    if (rng() % 4 == 0) {
      facts.push_back(Value::unknown());
      continue;
    }
    switch (f.type.kind) {
      case TypeKind::Bool: facts.push_back(Value::of(rng() % 2)); break;
      case TypeKind::Enum: facts.push_back(Value::of(rng() % p.enums[f.type.enum_id].members.size())); break;
      case TypeKind::Date:
        facts.push_back(Value::of(days_from_civil(2015, 1, 1) + static_cast<std::int64_t>(rng() % (365 * 16))));
        break;
      case TypeKind::Integer: facts.push_back(Value::of(static_cast<std::int64_t>(rng() % 40) - 5)); break;
      case TypeKind::Article: facts.push_back(Value::of(*parse_article(articles[rng() % articles.size()]))); break;
      case TypeKind::String: facts.push_back(Value::of(static_cast<std::int64_t>(rng() % (p.strings.size() + 2)))); break;
      case TypeKind::Set: facts.push_back(Value::unknown()); break;
    }
  }
  return facts;
}

void check_agreement(const Compilation& c, int cases, unsigned seed) {
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
  Machine m(*c.program);
  std::mt19937 rng(seed);
  for (int i = 0; i < cases; ++i) {
    const std::vector<Value> facts = random_case(*c.program, rng);
    const Result& vm = m.evaluate(facts);
    const Result ref = evaluate_reference(*c.model, facts);
    REQUIRE_MESSAGE(vm == ref, "case " << i << " of seed " << seed);
  }
}

}  // namespace

TEST_CASE("the VM and the reference evaluator agree on generated cases of the test rulebase") {
  check_agreement(mini(), 5000, 1);
  check_agreement(compile_one(kConflicting), 2000, 2);
}

TEST_CASE("the VM and the reference evaluator agree on generated cases of the Belgian rulebase") {
  check_agreement(compile_paths({std::string(SECRETC_SOURCE_DIR) + "/stdlib-rules"}), 5000, 3);
}

TEST_CASE("the VM and the reference evaluator agree on every example") {
  const auto c = compile_paths({std::string(SECRETC_SOURCE_DIR) + "/stdlib-rules"});
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
  Machine m(*c.program);
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(SECRETC_SOURCE_DIR) + "/examples")) {
    if (entry.path().extension() != ".fact") continue;
    SourceSet sources;
    Diagnostics diags;
    const std::uint32_t file = sources.add(entry.path().string(), read_file(entry.path()));
    const auto entries = parse_case(sources, file, diags);
    const BoundCase bound = bind_case(*c.program, entries, 20000, diags);
    REQUIRE_MESSAGE(!diags.has_errors(), render_all(diags, sources));
    CHECK_MESSAGE(m.evaluate(bound.facts) == evaluate_reference(*c.model, bound.facts), entry.path().string());
    ++checked;
  }
  CHECK(checked > 10);
}
