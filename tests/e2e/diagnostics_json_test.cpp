// `--format json` of check, compile, test and lint, run as a program reads them: every diagnostic an
// object {file, line, column, kind, severity, message, hint}, the text on standard error as before, the
// exit codes unchanged.
#include <doctest/doctest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "tests/e2e/run.hpp"

using namespace secretc::e2e;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const char* kHead = R"(rulebase "diagnostics" version "1"
fact a : bool
output v : enum { keep, may } = keep
)";

// `b` is no name: line 4, column 35, with `a` suggested.
const char* kUnknownName = "rule one cite \"art. 1\" when a and b then v = may because \"one\"\n";

const char* kTested = R"(rule one cite "art. 1" when a then v = may because "one"
test "a gives may" {
  given a = true
  expect v = may
  expect fired one
}
test "a wrongly gives keep" {
  given a = true
  expect v = keep
}
)";

void check_unknown_name(const json& d, const std::string& file) {
  CHECK(d["file"] == file);
  CHECK(d["line"] == 4);
  CHECK(d["column"] == 35);
  CHECK(d["kind"] == "UnknownName");
  CHECK(d["severity"] == "error");
  CHECK(d["message"] == "unknown name `b`");
  CHECK(d["hint"] == "did you mean `a`?");
}

}  // namespace

TEST_CASE("compile --format json gives each diagnostic as an object, and the text still on standard error") {
  TempDir dir;
  const std::string rules = (dir / "bad.rules").string();
  write_text(rules, std::string(kHead) + kUnknownName);
  const Run run =
      run_secretc("compile --lang en --format json -o " + quote((dir / "bad.secbc").string()) + " " + quote(rules));
  CHECK(run.code == 1);
  CHECK(run.err.find(rules + ":4:35: error: unknown name `b`\n") != std::string::npos);
  const json out = json::parse(run.out);
  REQUIRE(out["diagnostics"].size() == 1);
  check_unknown_name(out["diagnostics"][0], rules);
  CHECK(!fs::exists(dir / "bad.secbc"));

  // Without --format json, standard output stays empty.
  CHECK(run_secretc("compile -o " + quote((dir / "bad.secbc").string()) + " " + quote(rules)).out.empty());

  // A rulebase that compiles: no diagnostic, the bytecode written, exit 0.
  const std::string good = (dir / "good.rules").string();
  write_text(good, std::string(kHead) + "rule one cite \"art. 1\" when a then v = may because \"one\"\n");
  const Run ok = run_secretc("compile --format json -o " + quote((dir / "good.secbc").string()) + " " + quote(good));
  CHECK(ok.code == 0);
  CHECK(json::parse(ok.out) == json::parse(R"({"diagnostics": []})"));
  CHECK(fs::exists(dir / "good.secbc"));
}

TEST_CASE("a diagnostic without a file or a position has null members, and a syntax error has its kind") {
  TempDir dir;
  const Run missing = run_secretc("compile --format json -o " + quote((dir / "x.secbc").string()) + " " +
                                  quote((dir / "nowhere.rules").string()));
  CHECK(missing.code == 1);
  const json d = json::parse(missing.out)["diagnostics"].at(0);
  CHECK(d["file"].is_null());
  CHECK(d["line"].is_null());
  CHECK(d["column"].is_null());
  CHECK(d["kind"] == "PathMissing");
  CHECK(d["hint"].is_null());

  const std::string rules = (dir / "syntax.rules").string();
  write_text(rules, std::string(kHead) + "rule one when then v = may\n");
  const Run syntax = run_secretc("compile --format json -o " + quote((dir / "x.secbc").string()) + " " + quote(rules));
  CHECK(syntax.code == 1);
  const json first = json::parse(syntax.out)["diagnostics"].at(0);
  CHECK(first["kind"] == "SyntaxCondition");
  CHECK(first["line"] == 4);
  CHECK(syntax.err.find(rules + ":4:") != std::string::npos);
}

TEST_CASE("check --format json gives the rule file's and the case file's errors as diagnostics") {
  TempDir dir;
  const std::string bad = (dir / "bad.rules").string();
  write_text(bad, std::string(kHead) + kUnknownName);
  const std::string case_file = (dir / "case.fact").string();
  write_text(case_file, "a = oui\n");
  const Run rules_wrong = run_secretc("check --lang en --format json --rules " + quote(bad) + " " + quote(case_file));
  CHECK(rules_wrong.code == 1);
  CHECK(rules_wrong.err.find(bad + ":4:35: error: unknown name `b`\n") != std::string::npos);
  const json out = json::parse(rules_wrong.out);
  REQUIRE(out["diagnostics"].size() == 1);
  check_unknown_name(out["diagnostics"][0], bad);

  // A case file's errors come in the reader's language, like their text.
  const std::string good = (dir / "good.rules").string();
  write_text(good, std::string(kHead) + "rule one cite \"art. 1\" when a then v = may because \"one\"\n");
  write_text(case_file, "# a case\nb = oui\n");
  const Run case_wrong = run_secretc("check --format json --lang fr --rules " + quote(good) + " " + quote(case_file));
  CHECK(case_wrong.code == 1);
  CHECK(case_wrong.err.find(case_file + ":2:1: erreur: fait inconnu `b`\n") != std::string::npos);
  const json d = json::parse(case_wrong.out)["diagnostics"].at(0);
  CHECK(d["file"] == case_file);
  CHECK(d["line"] == 2);
  CHECK(d["column"] == 1);
  CHECK(d["kind"] == "CaseUnknownFact");
  CHECK(d["severity"] == "error");
  CHECK(d["message"] == "fait inconnu `b`");

  // A case without errors gets its report, as before.
  write_text(case_file, "a = oui\n");
  const Run answered = run_secretc("check --format json --rules " + quote(good) + " " + quote(case_file));
  CHECK(answered.code == 0);
  CHECK(!json::parse(answered.out).contains("diagnostics"));
}

TEST_CASE("test --format json gives the tests, the counts, and the coverage as diagnostics about a line") {
  TempDir dir;
  const std::string rules = (dir / "tested.rules").string();
  write_text(rules, std::string(kHead) + kTested);
  const Run run = run_secretc("test --lang en --format json " + quote(rules));
  CHECK(run.code == 1);
  const json out = json::parse(run.out);
  REQUIRE(out["tests"].size() == 2);
  CHECK(out["tests"][0]["name"] == "a gives may");
  CHECK(out["tests"][0]["passed"] == true);
  CHECK(out["tests"][0]["failure"].is_null());
  CHECK(out["tests"][1]["line"] == 10);
  CHECK(out["tests"][1]["passed"] == false);
  CHECK(out["tests"][1]["failure"].get<std::string>().find("expected `v = keep`") != std::string::npos);
  CHECK(out["passed"] == 1);
  CHECK(out["failed"] == 1);
  CHECK(out["filtered_out"] == 0);
  CHECK(out["coverage"] == json::parse(R"({"rules": 1, "shown_firing": 1, "shown_not_firing": 0})"));
  REQUIRE(out["diagnostics"].size() == 1);
  const json& d = out["diagnostics"][0];
  CHECK(d["file"] == rules);
  CHECK(d["line"] == 4);
  CHECK(d["column"].is_null());
  CHECK(d["kind"] == "CoverageNotShownNotFiring");
  CHECK(d["severity"] == "warning");
  CHECK(d["message"] == "no test shows the rule `one` not firing");

  // In French, the default: the texts of the failures and of the diagnostics, the JSON's names as they are.
  const json fr = json::parse(run_secretc("test --format json " + quote(rules)).out);
  CHECK(fr["tests"][1]["failure"].get<std::string>().find("attendu `v = keep`") != std::string::npos);
  CHECK(fr["diagnostics"][0]["message"] == "aucun test ne montre la règle `one` non appliquée");

  // The text: the same line, rendered like every diagnostic, an error under --require-coverage.
  const Run text = run_secretc("test --lang en --require-coverage " + quote(rules));
  CHECK(text.code == 1);
  CHECK(text.err.find(rules + ":4: error: no test shows the rule `one` not firing\n") != std::string::npos);
  CHECK(text.out.find("1 passed, 1 failed\n") != std::string::npos);
}

TEST_CASE("lint --format json gives the errors of rules that do not compile, and a diagnostics member otherwise") {
  TempDir dir;
  const std::string bad = (dir / "bad.rules").string();
  write_text(bad, std::string(kHead) + kUnknownName);
  const Run run = run_secretc("lint --format json " + quote(bad));
  CHECK(run.code == 1);
  const json out = json::parse(run.out);
  REQUIRE(out["diagnostics"].size() == 1);
  check_unknown_name(out["diagnostics"][0], bad);

  const std::string good = (dir / "good.rules").string();
  write_text(good, std::string(kHead) + "rule one cite \"art. 1\" when a then v = may because \"one\"\n");
  const json linted = json::parse(run_secretc("lint --exit-zero --format json " + quote(good)).out);
  CHECK(linted.contains("findings"));
  CHECK(linted["diagnostics"] == json::array());
}
