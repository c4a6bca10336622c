// The documented limits (README, "Limits"): each gives a clean, located error instead of a stack
// overflow, a quadratic blow-up or unbounded memory; and inputs just within them are accepted.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "compiler/check.hpp"
#include "compiler/parse_case.hpp"
#include "compiler/parse_rules.hpp"
#include "runtime/explain.hpp"
#include "tests/compiler/support.hpp"

using namespace secretc;
using namespace secretc::testing;

namespace {

const std::string kHead = "fact a : bool\nfact b : bool\noutput v : enum { no, yes } = no\n";

// The first error of a compilation as `line:col: message`, or "" when it compiled.
std::string first_error(const Compilation& c) {
  for (const Diagnostic& d : c.diags.sorted()) {
    if (d.severity == Severity::Error) {
      return std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ": " + d.message;
    }
  }
  return "";
}

std::string first_case_error(const std::string& text) {
  SourceSet sources;
  Diagnostics diags;
  const std::uint32_t file = sources.add("case.fact", text);
  (void)parse_case(sources, file, diags);
  for (const Diagnostic& d : diags.sorted()) {
    if (d.severity == Severity::Error) {
      return std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ": " + d.message;
    }
  }
  return "";
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("a rule-file line longer than the limit is an error where it passes the limit") {
  const std::string comment = "# " + std::string(kMaxLineBytes - 2, 'x');  // exactly the limit: fine
  CHECK(first_error(compile_one(kHead + comment + "\nrule r when a then v = yes\n")) == "");
  const auto c = compile_one(kHead + comment + "y\nrule r when a then v = yes\n");
  CHECK(first_error(c) == "4:10001: this line is 10001 bytes long; a line may hold at most 10000 bytes");
}

TEST_CASE("a line of a million parentheses is refused by its length, at once") {
  const auto start = std::chrono::steady_clock::now();
  const std::string line = "rule r when " + std::string(1000000, '(') + "a then v = yes";
  const auto c = compile_one(kHead + line + "\n");
  CHECK(first_error(c) ==
        "4:10001: this line is " + std::to_string(line.size()) + " bytes long; a line may hold at most 10000 bytes");
  CHECK(seconds_since(start) < 10);
}

TEST_CASE("parentheses and `not` nested past the limit over many lines are an error, not a stack overflow") {
  std::string parens, nots;
  for (int i = 0; i < 100000; ++i) parens += "(\n";
  for (int i = 0; i < 100000; ++i) nots += "not\n";
  CHECK(first_error(compile_one(kHead + "rule r when\n" + parens + "a then v = yes\n")).find("nested more than 64") !=
        std::string::npos);
  CHECK(first_error(compile_one(kHead + "rule r when\n" + nots + "a then v = yes\n")).find("nested more than 64") !=
        std::string::npos);
  // At the limit, it compiles; one more, and the error points at the opener one too many. (The limit
  // was once 63 in practice, with the error on the name inside the parentheses.)
  const std::string deep = std::string(kMaxNesting, '(') + "a" + std::string(kMaxNesting, ')');
  CHECK(first_error(compile_one(kHead + "rule r when " + deep + " then v = yes\n")) == "");
  CHECK(first_error(compile_one(kHead + "rule r when (" + deep + ") then v = yes\n")) ==
        "4:77: conditions nested more than 64 levels deep; split them into `définition`s");
  const std::string flat_nots = [] {
    std::string n;
    for (std::uint32_t i = 0; i < kMaxNesting; ++i) n += "not ";
    return n;
  }();
  CHECK(first_error(compile_one(kHead + "rule r when " + flat_nots + "a then v = yes\n")) == "");
  CHECK(first_error(compile_one(kHead + "rule r when " + flat_nots + "not a then v = yes\n")) ==
        "4:269: conditions nested more than 64 levels deep; split them into `définition`s");
}

TEST_CASE("a text in double quotes longer than the limit is an error at its opening quote") {
  std::string text;  // exactly the limit, over lines within theirs
  while (text.size() < kMaxStringBytes) text += std::string(99, 'x') + "\n";
  REQUIRE(text.size() == kMaxStringBytes);
  CHECK(first_error(compile_one(kHead + "rule r\n  because \"" + text + "\"\n  when a then v = yes\n")) == "");
  const auto c = compile_one(kHead + "rule r\n  because \"" + text + "y\"\n  when a then v = yes\n");
  CHECK(first_error(c) == "5:11: this text is 10001 bytes long; a text in double quotes may hold at most 10000 bytes");
}

TEST_CASE("a case-file line longer than the limit is an error where it passes the limit") {
  CHECK(first_case_error("a = \"" + std::string(kMaxLineBytes - 6, 'x') + "\"\n") == "");
  CHECK(first_case_error("x = 1\na = \"" + std::string(kMaxLineBytes, 'x') + "\"\n") ==
        "2:10001: this line is 10006 bytes long; a line may hold at most 10000 bytes");
}

TEST_CASE("more rules, facts or definitions than the limits allow is an error at the first one too many") {
  std::string rules, facts, defines;
  for (std::size_t i = 0; i <= kMaxRules; ++i) rules += "rule r" + std::to_string(i) + " then v = yes\n";
  for (std::size_t i = 0; i <= kMaxFacts; ++i) facts += "fact f" + std::to_string(i) + " : bool\n";
  for (std::size_t i = 0; i <= kMaxDefinitions; ++i) defines += "define d" + std::to_string(i) + " = a\n";
  CHECK(first_error(compile_one(kHead + rules)) ==
        "10004:6: this is rule number 10001; a rulebase may hold at most 10000 rules");
  CHECK(first_error(compile_one(kHead + facts)) ==
        "10002:6: this is fact number 10001; a rulebase may hold at most 10000 facts");  // 2 in kHead
  CHECK(first_error(compile_one(kHead + defines)) ==
        "10004:8: this is definition number 10001; a rulebase may hold at most 10000 definitions");
  // At the limit, it compiles (and quickly: nothing here is quadratic in the number of rules).
  const auto start = std::chrono::steady_clock::now();
  rules.resize(rules.rfind("rule "));
  CHECK(first_error(compile_one(kHead + rules)) == "");
  CHECK(seconds_since(start) < 20);
}

TEST_CASE("a chain of definitions longer than the limit is an error, written in either order") {
  std::string forwards = "define d0 = a\n", backwards;
  for (std::size_t i = 1; i <= kMaxDefinitionDepth; ++i) {
    forwards += "define d" + std::to_string(i) + " = d" + std::to_string(i - 1) + "\n";
  }
  for (std::size_t i = kMaxDefinitionDepth; i > 0; --i) {
    backwards += "define d" + std::to_string(i) + " = d" + std::to_string(i - 1) + "\n";
  }
  backwards += "define d0 = a\n";
  const std::string rule = "rule r when d" + std::to_string(kMaxDefinitionDepth) + " then v = yes\n";
  CHECK(first_error(compile_one(kHead + forwards + rule)).find("the chain of definitions ending at `d64` is 65 long") !=
        std::string::npos);
  CHECK(first_error(compile_one(kHead + backwards + rule)).find("is more than 64 long") != std::string::npos);
  // 64 long: fine.
  forwards.resize(forwards.rfind("define "));
  CHECK(first_error(compile_one(kHead + forwards + "rule r when d63 then v = yes\n")) == "");
}

TEST_CASE("a rule set aside by more rules than the limit is an error, and a long chain of exceptions no blow-up") {
  std::string chain = "rule r0 when a then v = yes\n";
  for (std::size_t i = 1; i <= kMaxOverriders + 1; ++i) {
    chain += "rule r" + std::to_string(i) + " overrides r" + std::to_string(i - 1) + " when a then v = no\n";
  }
  const auto start = std::chrono::steady_clock::now();
  CHECK(first_error(compile_one(kHead + chain)).find("`r0` is set aside by more than 1000 rules") != std::string::npos);
  CHECK(seconds_since(start) < 20);
}

TEST_CASE("a rule reading more facts than the limit, through definitions too, is an error") {
  std::string facts, condition = "a";
  for (std::size_t i = 0; i < kMaxFactsRead; ++i) {
    facts += "fact f" + std::to_string(i) + " : bool\n";
    condition += "\n  or f" + std::to_string(i);
  }
  const auto c = compile_one(kHead + facts + "define many = " + condition + "\nrule r when many then v = yes\n");
  CHECK(first_error(c).find("`many` reads 1001 facts, directly or through definitions; at most 1000") !=
        std::string::npos);
}

TEST_CASE("a chain of rules each reading the output the previous one decides compiles without deep recursion") {
  std::string text = "fact a : bool\n";
  for (std::size_t i = 0; i < kMaxOutputs; ++i) text += "output o" + std::to_string(i) + " : enum { no, yes } = no\n";
  text += "rule r0 when a then o0 = yes\n";
  for (std::size_t i = 1; i < kMaxOutputs; ++i) {
    text += "rule r" + std::to_string(i) + " when o" + std::to_string(i - 1) + " == yes then o" + std::to_string(i) +
            " = yes\n";
  }
  const auto c = compile_one(text);
  REQUIRE(first_error(c) == "");
  Machine m(*c.program);
  const Result& r = m.evaluate(bind(*c.program, {{"a", "true"}}).facts);
  CHECK(output_of(*c.program, r, "o999") == "yes");
  // With `a` unknown, what each output may be is carried down the chain by the abstract interpreter,
  // without recursion either: the last one may still be either.
  const BoundCase open = bind(*c.program, {{"a", "?"}});
  const Result& u = m.evaluate(open.facts, &open.given);
  const OutputValue& last = u.outputs[*c.program->find_output("o999")];
  CHECK_FALSE(last.settled);
  CHECK(last.possible == 0b11);
}

TEST_CASE("a proviso nested past the limit is an error at the opener one too many") {
  const std::string deep = std::string(kMaxNesting, '(') + "b" + std::string(kMaxNesting, ')');
  CHECK(first_error(compile_one(kHead + "rule r when a provided " + deep + " then v = yes\n")) == "");
  CHECK(first_error(compile_one(kHead + "rule r when a provided (" + deep + ") then v = yes\n")) ==
        "4:88: conditions nested more than 64 levels deep; split them into `définition`s");
}

TEST_CASE("rules with many provisos and chains of exceptions on unknown facts are evaluated quickly") {
  // 10 chains of 1000 exceptions, each rule with two provisos, every fact unknown: the abstract
  // interpreter, the provisos stated, the open questions and the conditional answers stay fast.
  std::string text = "fact a : bool\nfact b : bool\nfact c : bool\noutput v : enum { no, yes } = no in doubt no\n";
  for (std::size_t chain = 0; chain < 10; ++chain) {
    for (std::size_t i = 0; i < kMaxOverriders; ++i) {
      const std::string name = "r" + std::to_string(chain) + "_" + std::to_string(i);
      text += "rule " + name;
      if (i > 0) text += " overrides r" + std::to_string(chain) + "_" + std::to_string(i - 1);
      text += " when a provided b \"b\" provided not c then v = " + std::string(i % 2 == 0 ? "yes" : "no") + "\n";
    }
  }
  // Compiling such chains is timed by the test of chains of exceptions above; this one times evaluation.
  const auto c = compile_one(text);
  REQUIRE(first_error(c) == "");
  const auto start = std::chrono::steady_clock::now();
  Machine m(*c.program);
  const BoundCase open = bind(*c.program, {{"a", "true"}, {"b", "?"}});
  const Result r = m.evaluate(open.facts, &open.given);
  // Every rule fires for sure, the last of each chain sets the others aside: its provisos are stated.
  CHECK(r.fired.size() == 10);
  CHECK(r.provisos.size() == 20);
  CHECK(r.outputs[0].settled);
  CHECK(output_of(*c.program, r, "v") == "no");
  CHECK(conditional_answers(m, open.facts, &open.given, r).empty());
  CHECK(seconds_since(start) < 20);
}

TEST_CASE("more rule files than the limit, or more bytes in all, is an error naming the limit") {
  std::vector<std::pair<std::string, std::string>> files;
  for (std::size_t i = 0; i <= kMaxRuleFiles; ++i) files.emplace_back("f" + std::to_string(i) + ".rules", "");
  CHECK(errors_of(compile_texts(files)).find("the rulebase has 1001 rule files; at most 1000 are allowed") !=
        std::string::npos);
  const std::string big(kMaxRulebaseBytes / 2 + 1, '\n');
  CHECK(errors_of(compile_texts({{"a.rules", big}, {"b.rules", big}}))
            .find("a rulebase may hold at most 16777216 bytes") != std::string::npos);
}

TEST_CASE("a file of syntax errors stops after the error limit, with a note, and quickly") {
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "rule r when and\n";
  const auto start = std::chrono::steady_clock::now();
  const auto c = compile_one(text);
  CHECK(c.diags.error_count() == Diagnostics::kMaxKept - 1);
  CHECK(errors_of(c).find("too many errors; the rest of the rule file was not read") != std::string::npos);
  CHECK(seconds_since(start) < 10);
}

TEST_CASE("a diagnostic on a very long line shows the part around the caret") {
  const auto c = compile_one(kHead + "rule r when a and " + std::string(5000, ' ') + "and then v = yes\n");
  const std::string e = errors_of(c);
  CHECK(e.find("…") != std::string::npos);
  CHECK(e.size() < 2000);  // not the 5000 characters of the line
}

TEST_CASE("thousands of misspelt names are reported in linear time, with suggestions for the first ones") {
  // Each suggestion compares the name with every declared one: worked out for every error, this took
  // 68 s for 18 000 unknown names among 9 000 facts. Past the diagnostics' limit it is not worked out.
  std::string text = kHead;
  for (int i = 0; i < 3000; ++i) text += "fact fact" + std::to_string(i) + " : bool\n";
  for (int i = 0; i < 3000; ++i)
    text += "rule r" + std::to_string(i) + " when fakt" + std::to_string(i) + " then v = yes\n";
  const auto start = std::chrono::steady_clock::now();
  const auto c = compile_one(text);
  CHECK(c.diags.error_count() == 3000);
  CHECK(errors_of(c).find("hint: did you mean `fact0`?") != std::string::npos);
  CHECK(seconds_since(start) < 20);
}
