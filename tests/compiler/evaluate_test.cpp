#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "compiler/parse_case.hpp"

#include "runtime/bytecode.hpp"
#include "runtime/explain.hpp"
#include "tests/compiler/support.hpp"

using namespace secretc;
using namespace secretc::testing;

namespace {

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

// The old semantics said: the rule does not fire and the default stands (keep_secret), as if the
// summons were known to be absent. A completion with a summons makes the testimony apply: the answer
// is not settled, the value to act on is the first of `in doubt` that is possible, and the summons is
// asked for — with what each answer would be.
TEST_CASE("a rule whose facts are unknown may fire: the answer is not settled, and the fact is asked for") {
  const auto c = mini();
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
  Machine m(*c.program);
  const BoundCase b = bind(*c.program, {{"who.role", "social_worker"},
                                        {"to.recipient", "court"},
                                        {"offence.article", "406"},
                                        {"cas.date", "2024-05-01"}});
  const Result r = m.evaluate(b.facts, &b.given);
  const Program& p = *c.program;
  const OutputValue& verdict = r.outputs[*p.find_output("verdict")];
  CHECK_FALSE(verdict.settled);
  CHECK(verdict.possible == 0b011);                    // keep_secret, may_disclose
  CHECK(output_of(p, r, "verdict") == "keep_secret");  // in doubt keep_secret, may_disclose
  CHECK(r.applies[*p.find_rule("testimony")] == Truth::Unknown);
  CHECK_FALSE(fired(p, r, "testimony"));
  const std::uint32_t summons = *p.find_fact("witness.summoned");
  CHECK(r.missing == std::vector<std::uint32_t>{summons});
  const std::vector<Dependence> deps = conditional_answers(m, b.facts, &b.given, r);
  REQUIRE(deps.size() == 1);
  CHECK(deps[0].fact == summons);
  REQUIRE(deps[0].branches.size() == 2);
  CHECK(deps[0].branches[0].outputs[*p.find_output("verdict")].value == Value::of(1));  // summoned: may disclose
  CHECK(deps[0].branches[1].outputs[*p.find_output("verdict")].value == Value::of(0));  // not: keep the secret
  CHECK(deps[0].branches[1].outputs[*p.find_output("verdict")].settled);
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

// The old semantics answered `may`, which a completion where the exception fires contradicts.
TEST_CASE("a rule an unknown exception may set aside applies maybe, and the exception's facts are missing") {
  const auto c = compile_one(kConflicting);
  REQUIRE(c.program.has_value());
  Machine m(*c.program);
  const BoundCase b = bind(*c.program, {{"a", "true"}, {"c", "false"}});
  const Result& r = m.evaluate(b.facts, &b.given);
  const Program& p = *c.program;
  CHECK(r.conditions[*p.find_rule("general")] == Truth::True);
  CHECK(r.applies[*p.find_rule("general")] == Truth::Unknown);
  const OutputValue& v = r.outputs[*p.find_output("v")];
  CHECK_FALSE(v.settled);
  CHECK(v.possible == 0b011);  // keep (the exception), may (the general rule)
  const OutputValue& s = r.outputs[*p.find_output("s")];
  CHECK(s.value == Value::of(0));  // nothing for sure
  CHECK(s.possible == 0b011);      // x or y
  REQUIRE(r.missing.size() == 1);
  CHECK(p.facts[r.missing[0]].name == "b");
}

TEST_CASE("a dated rule applies only within its period") {
  const auto c = mini();
  REQUIRE(c.program.has_value());
  Machine m(*c.program);
  // The article is off the list, so that the only rule in question is the dated one.
  const auto on = [&](const char* day) {
    const BoundCase b =
        bind(*c.program,
             {{"who.role", "doctor"}, {"to.recipient", "prosecutor"}, {"offence.article", "406"}, {"cas.date", day}});
    return output_of(*c.program, m.evaluate(b.facts, &b.given), "verdict");
  };
  CHECK(on("2018-05-01") == "must_disclose");
  CHECK(on("2019-03-14") == "keep_secret");
  CHECK(on("2019-03-13") == "must_disclose");
  // An unknown day: the rule may be in force; the answer is not settled.
  const BoundCase unknown_day =
      bind(*c.program,
           {{"who.role", "doctor"}, {"to.recipient", "prosecutor"}, {"offence.article", "406"}, {"cas.date", "?"}});
  const Result& r = m.evaluate(unknown_day.facts, &unknown_day.given);
  CHECK(r.conditions[*c.program->find_rule("prosecutor_duty")] == Truth::Unknown);
  CHECK_FALSE(r.outputs[*c.program->find_output("verdict")].settled);
}

TEST_CASE("a proviso the case leaves open is stated with the answer, on the VM as in the reference evaluator") {
  const auto c = mini();
  REQUIRE(c.program.has_value());
  const Program& p = *c.program;
  Machine m(p);
  const BoundCase b = bind(p, {{"who.role", "doctor"},
                               {"witness.summoned", "true"},
                               {"to.recipient", "investigating_judge"},
                               {"who.volunteer", "?"},
                               {"cas.date", "2024-05-01"}});
  const Result& r = m.evaluate(b.facts, &b.given);
  CHECK(r == evaluate_reference(*c.model, b.facts, &b.given));
  CHECK(output_of(p, r, "verdict") == "may_disclose");
  CHECK(r.outputs[*p.find_output("verdict")].settled);
  REQUIRE(r.provisos.size() == 1);
  const std::uint32_t testimony = *p.find_rule("testimony");
  std::uint32_t first = 0;
  for (std::uint32_t i = 0; i < testimony; ++i) first += static_cast<std::uint32_t>(p.rules[i].provisos.size());
  CHECK(r.provisos[0] == first);
  CHECK(p.rules[testimony].provisos[0].text == "You testify in your professional capacity");
  CHECK(p.rules[testimony].provisos[0].facts_read == std::vector<std::uint32_t>{*p.find_fact("who.volunteer")});
  // A proviso's facts are limits, not open questions.
  for (const std::uint32_t f : r.missing) CHECK(p.facts[f].name != "who.volunteer");
  // The volunteer's default (false) makes the proviso hold: nothing to state.
  const BoundCase d = bind(p, {{"who.role", "doctor"},
                               {"witness.summoned", "true"},
                               {"to.recipient", "investigating_judge"},
                               {"cas.date", "2024-05-01"}});
  CHECK(m.evaluate(d.facts, &d.given).provisos.empty());
}

TEST_CASE("a warning holds like a rule, decides nothing, and is reported among the rules that apply") {
  const auto c = mini();
  REQUIRE(c.program.has_value());
  const Program& p = *c.program;
  const std::uint32_t reform = *p.find_rule("list_reform");
  CHECK(p.rules[reform].kind == RuleKind::Warning);
  CHECK(p.rules[reform].effects.empty());
  CHECK(p.law_as_of == parse_date("2024-01-01"));
  Machine m(p);
  const BoundCase b = bind(
      p, {{"who.role", "social_worker"}, {"offence.article", "375"}, {"victim.age", "12"}, {"cas.date", "2024-05-01"}});
  const Result& r = m.evaluate(b.facts, &b.given);
  CHECK(r == evaluate_reference(*c.model, b.facts, &b.given));
  CHECK(fired(p, r, "list_reform"));
  // Without an article the warning only may hold, and the article is asked for by the rule on the
  // list, not by the warning: with the list settled, it is no question.
  const BoundCase n = bind(p, {{"who.role", "social_worker"}, {"victim.age", "40"}, {"cas.date", "2024-05-01"}});
  const Result& q = m.evaluate(n.facts, &n.given);
  CHECK(q.conditions[reform] == Truth::Unknown);
  for (const std::uint32_t f : q.missing) CHECK(p.facts[f].name != "offence.article");
}

TEST_CASE("values in doubt: an unsettled verdict acts on the first possible member of the list") {
  const auto c = compile_one(R"(
rulebase "doute" version "1"
fact a : bool
fact b : bool
output verdict : enum { garder, peut, doit } in doubt garder, peut
rule parler when a then verdict = peut
rule devoir overrides parler when b then verdict = doit
)");
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
  const Program& p = *c.program;
  Machine m(p);
  const auto verdict = [&](std::vector<std::pair<std::string, std::string>> given) {
    const BoundCase b = bind(p, given);
    const Result& r = m.evaluate(b.facts, &b.given);
    CHECK(r == evaluate_reference(*c.model, b.facts, &b.given));
    return r.outputs[0];
  };
  // a: parler applies unless devoir does: peut or doit; `peut` is the first possible in doubt.
  const OutputValue speak = verdict({{"a", "true"}, {"b", "?"}});
  CHECK_FALSE(speak.settled);
  CHECK(speak.possible == 0b110);
  CHECK(speak.value == Value::of(1));
  // Nothing known: peut, doit, or no value (no default); garder is not possible, so peut is the one.
  const OutputValue open = verdict({});
  CHECK_FALSE(open.settled);
  CHECK(open.may_be_unknown);
  CHECK(open.value == Value::of(1));
  // Only doit or none: nothing in doubt is possible, no value to act on.
  const OutputValue must = verdict({{"a", "false"}});
  CHECK_FALSE(must.settled);
  CHECK_FALSE(must.value.known);
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

// A random case: every fact unknown with probability 1/unknown_odds (written `?` or not, half and half;
// never when unknown_odds is 0), otherwise a value of its type drawn from a small pool that hits the
// boundaries the rules test.
std::vector<Value> random_case(const Program& p, std::mt19937& rng, std::vector<bool>& written, unsigned unknown_odds) {
  static const std::vector<std::string> articles{"371/1", "372", "375", "377",    "377bis", "377quater",
                                                 "392",   "394", "398", "405ter", "406",    "458"};
  std::vector<Value> facts;
  written.assign(p.facts.size(), true);
  for (const FactInfo& f : p.facts) {
    if (unknown_odds != 0 && rng() % unknown_odds == 0) {
      written[facts.size()] = rng() % 2 == 0;
      facts.push_back(Value::unknown());
      continue;
    }
    switch (f.type.kind) {
      case TypeKind::Bool:
        facts.push_back(Value::of(rng() % 2));
        break;
      case TypeKind::Enum:
        facts.push_back(Value::of(rng() % p.enums[f.type.enum_id].members.size()));
        break;
      case TypeKind::Date:
        facts.push_back(Value::of(days_from_civil(2015, 1, 1) + static_cast<std::int64_t>(rng() % (365 * 16))));
        break;
      case TypeKind::Integer:
        facts.push_back(Value::of(static_cast<std::int64_t>(rng() % 40) - 5));
        break;
      case TypeKind::Article:
        facts.push_back(Value::of(*parse_article(articles[rng() % articles.size()])));
        break;
      case TypeKind::String:
        facts.push_back(Value::of(static_cast<std::int64_t>(rng() % (p.strings.size() + 2))));
        break;
      case TypeKind::Set:
        facts.push_back(Value::unknown());
        break;
    }
  }
  return facts;
}

// Half the cases with a fact unknown one time in four (nearly all of them uncertain), half with every
// fact known: those run the VM's lazy evaluator and its indexed blocks of rules.
void check_agreement(const Compilation& c, int cases, unsigned seed) {
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
  Machine m(*c.program);
  std::mt19937 rng(seed);
  std::vector<bool> written;
  int certain = 0;
  for (int i = 0; i < cases; ++i) {
    const std::vector<Value> facts = random_case(*c.program, rng, written, i % 2 == 0 ? 4 : 0);
    const Result& vm = m.evaluate(facts, &written);
    const Result ref = evaluate_reference(*c.model, facts, &written);
    REQUIRE_MESSAGE(vm == ref, "case " << i << " of seed " << seed);
    certain += vm.uncertain ? 0 : 1;
  }
  CHECK(certain >= cases / 2);
}

// A rulebase of `rules` rules over a few enum and bool facts, in two runs: the second reads the output
// the first decides. Rules test the same facts against different members, as a real rulebase does, so
// that the VM's blocks index them; some override others, some conflict, some have a period or a proviso.
std::string many_rules(int rules) {
  std::string text = "rulebase \"many\" version \"1\"\n";
  text += "enum e { m0, m1, m2, m3, m4, m5, m6, m7, m8, m9 }\n";
  for (int f = 0; f < 8; ++f) text += "fact f" + std::to_string(f) + " : e\n";
  for (int f = 0; f < 6; ++f) text += "fact b" + std::to_string(f) + " : bool\n";
  text += "fact n : integer\nfact cas.date : date\n";
  text += "output first : enum { x, y, z } = x\noutput second : enum { p, q }\n";
  const auto member = [](int k) { return "m" + std::to_string(k % 10); };
  for (int r = 0; r < rules; ++r) {
    const bool late = r >= rules / 2;
    const std::string name = (late ? "late" : "early") + std::to_string(r);
    text += "rule " + name + "\n";
    if (r % 7 == 3 && r > 0 && !late) text += "  overrides early" + std::to_string(r - 1) + "\n";
    if (r % 11 == 5) text += "  valid from 2018-01-01\n";
    text += "  when ";
    if (late) text += std::string("first == ") + "xyz"[r % 3] + " and ";
    text += "f" + std::to_string(r % 8) + " == " + member(r);
    if (r % 2 == 0)
      text += " and f" + std::to_string((r / 8) % 8) + " in { " + member(r + 1) + ", " + member(r + 4) + " }";
    if (r % 3 == 0) text += " and not b" + std::to_string(r % 6);
    if (r % 3 == 1) text += " and b" + std::to_string((r / 3) % 6);
    if (r % 5 == 0) text += " and f" + std::to_string((r + 3) % 8) + " != " + member(r / 5);
    if (r % 4 == 0) text += " and (b1 or n > " + std::to_string(r % 30) + ")";
    text += "\n";
    if (r % 13 == 6) text += "  provided b" + std::to_string(r % 6) + " \"a limit\"\n";
    text += late ? std::string("  then second = ") + "pq"[r % 2] + "\n"
                 : std::string("  then first = ") + "yz"[r % 2] + "\n";
  }
  return text;
}

}  // namespace

TEST_CASE("the VM and the reference evaluator agree on generated cases of the test rulebase") {
  check_agreement(mini(), 5000, 1);
  check_agreement(compile_one(kConflicting), 2000, 2);
}

TEST_CASE("the VM and the reference evaluator agree on generated cases of the Belgian rulebase") {
  check_agreement(compile_paths({std::string(SECRETC_SOURCE_DIR) + "/stdlib-rules"}), 5000, 3);
}

TEST_CASE("the VM and the reference evaluator agree on rulebases of many rules") {
  // 40 rules: one word of each run; 150: three words; 600: runs of 300, cut into blocks of 256 and 44.
  for (const int rules : {40, 150, 600}) {
    CAPTURE(rules);
    check_agreement(compile_one(many_rules(rules)), 120000 / (rules + 40), 4 + static_cast<unsigned>(rules));
  }
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
    CHECK_MESSAGE(m.evaluate(bound.facts, &bound.given) == evaluate_reference(*c.model, bound.facts, &bound.given),
                  entry.path().string());
    ++checked;
  }
  CHECK(checked > 10);
}
