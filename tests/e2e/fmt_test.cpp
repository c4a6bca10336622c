#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "tests/e2e/run.hpp"

using namespace secretc::e2e;
namespace fs = std::filesystem;

namespace {

const fs::path kSource = SECRETC_SOURCE_DIR;

// A rule file out of the canonical layout: clauses out of order, a condition on one long line, a
// comment to keep.
const char* kUnformatted = R"(# the rulebase
rulebase "Fmt" version "1"
enum duty { secrecy, none }
fact who.doctor : bool   # a fact
output duty : duty
rule r "R" then duty = secrecy when who.doctor   # the doctor
  cite "art. 458"
)";

const char* kFormatted = R"(# the rulebase
rulebase "Fmt" version "1"
enum duty { secrecy, none }
fact who.doctor : bool  # a fact
output duty : duty

rule r "R"
  cite "art. 458"
  when who.doctor  # the doctor
  then duty = secrecy
)";

}  // namespace

TEST_CASE("fmt rewrites a file in the canonical layout, and a second run changes nothing") {
  TempDir tmp;
  const fs::path file = tmp / "rules.rules";
  write_text(file, kUnformatted);

  const Run first = run_secretc("fmt " + quote(file.string()));
  CHECK_MESSAGE(first.code == 0, first.err);
  CHECK(first.out == "formatted " + file.string() + "\n");
  CHECK(read_text(file) == kFormatted);

  const Run second = run_secretc("fmt " + quote(file.string()));
  CHECK(second.code == 0);
  CHECK(second.out.empty());
  CHECK(read_text(file) == kFormatted);
  CHECK(run_secretc("fmt --check " + quote(file.string())).code == 0);
}

TEST_CASE("fmt --check writes nothing, lists what would change, and fails") {
  TempDir tmp;
  const fs::path bad = tmp / "a.rules";
  const fs::path good = tmp / "b.rules";
  write_text(bad, kUnformatted);
  write_text(good, kFormatted);

  const Run run = run_secretc("fmt --check " + quote(bad.string()) + " " + quote(good.string()));
  CHECK(run.code == 1);
  CHECK(run.out.find("--- " + bad.string() + "\n") != std::string::npos);
  CHECK(run.out.find(good.string()) == std::string::npos);
  CHECK(run.out.find("-rule r \"R\" then duty = secrecy when who.doctor   # the doctor\n") != std::string::npos);
  CHECK(run.out.find("+  when who.doctor  # the doctor\n") != std::string::npos);
  CHECK(run.err.find("1 of 2 files would be reformatted") != std::string::npos);
  CHECK(read_text(bad) == kUnformatted);
  CHECK(read_text(good) == kFormatted);

  CHECK(run_secretc("fmt --check " + quote(good.string())).code == 0);
}

TEST_CASE("fmt leaves a file with syntax errors untouched and reports them as the compiler does") {
  TempDir tmp;
  const fs::path file = tmp / "broken.rules";
  const std::string text = "fact a : bool\nrule r when a then\n";
  write_text(file, text);
  for (const std::string args : {"fmt ", "fmt --check "}) {
    const Run run = run_secretc(args + quote(file.string()));
    CHECK(run.code == 1);
    CHECK(run.out.empty());
    CHECK_MESSAGE(run.err.find(file.string() + ":3:1: error:") != std::string::npos, run.err);
    CHECK(run.err.find("not formatted") != std::string::npos);
    CHECK(read_text(file) == text);
  }
  // The same errors as `secretc test` reports for the file.
  const Run compiled = run_secretc("test --lang en " + quote(file.string()));
  CHECK(compiled.code == 1);
  CHECK(compiled.err.find(file.string() + ":3:1: error:") != std::string::npos);
}

// The names of the tests `secretc test` reports as failing, in order: what a layout cannot change
// (their files and lines may move).
std::vector<std::string> failing_tests(const std::string& out) {
  std::vector<std::string> names;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("échoué ", 0) == 0 && line.find('"') != std::string::npos)
      names.push_back(line.substr(line.find('"')));
  }
  return names;
}

std::string test_summary(const std::string& out) {
  const auto at = out.rfind("tests : réussis ");
  return at == std::string::npos ? std::string() : out.substr(at);
}

// Whether the rulebase's own tests pass is `stdlib_rules_tests`'s business (tests/CMakeLists.txt);
// here, the formatted copy must give every test the outcome the original gives it.
TEST_CASE("fmt on a copy of the Belgian rulebase keeps every test's outcome and reaches a fixed point") {
  TempDir tmp;
  const fs::path dir = tmp / "stdlib-rules";
  fs::copy(kSource / "stdlib-rules", dir);
  const Run formatted = run_secretc("fmt " + quote(dir.string()));
  CHECK_MESSAGE(formatted.code == 0, formatted.err);

  const Run check = run_secretc("fmt --check " + quote(dir.string()));
  CHECK_MESSAGE(check.code == 0, (check.out + check.err));
  CHECK(check.out.empty());

  const Run original_tests = run_secretc("test " + quote((kSource / "stdlib-rules").string()));
  const Run formatted_tests = run_secretc("test " + quote(dir.string()));
  CHECK_MESSAGE(formatted_tests.code == original_tests.code, (formatted_tests.out + formatted_tests.err));
  CHECK(!test_summary(original_tests.out).empty());
  CHECK(test_summary(formatted_tests.out) == test_summary(original_tests.out));
  CHECK(failing_tests(formatted_tests.out) == failing_tests(original_tests.out));
}

// The constructs of answers under uncertainty, out of the canonical layout, with comments.
const char* kUncertainUnformatted = R"(rulebase "Fmt" version "1" # the header
  as of 2024-01-01
enum duty { secrecy, none }
fact who.doctor : bool
fact who.consents : bool
fact cas.date : date
output verdict : enum { keep, may_tell } = keep in doubt keep, may_tell # most cautious first
output duty : duty in doubt secrecy
warning reform "Reform" when who.doctor valid from 2022-06-01 because "a later law"
rule r "R" then verdict = may_tell provided who.consents "the person consents" when who.doctor
  # the duty
  rule s when who.doctor then duty = secrecy
test "t" { given who.doctor = true, cas.date = 2024-05-01 expect verdict = may_tell, provided r }
test "u" { given cas.date = 2024-05-01 expect verdict possible { keep, may_tell }, depends on who.doctor }
)";

const char* kUncertainFormatted = R"(rulebase "Fmt" version "1"  # the header
  as of 2024-01-01
enum duty { secrecy, none }
fact who.doctor : bool
fact who.consents : bool
fact cas.date : date
output verdict : enum { keep, may_tell } = keep in doubt keep, may_tell  # most cautious first
output duty : duty in doubt secrecy

warning reform "Reform"
  valid from 2022-06-01
  when who.doctor
  because "a later law"

rule r "R"
  when who.doctor
  provided who.consents "the person consents"
  then verdict = may_tell
  # the duty

rule s
  when who.doctor
  then duty = secrecy

test "t" {
  given who.doctor = true, cas.date = 2024-05-01
  expect verdict = may_tell, provided r
}

test "u" {
  given cas.date = 2024-05-01
  expect verdict possible { keep, may_tell }, depends on who.doctor
}
)";

TEST_CASE("fmt lays out headers dated, outputs in doubt, provisos, warnings and the new expectations") {
  TempDir tmp;
  const fs::path file = tmp / "uncertain.rules";
  write_text(file, kUncertainUnformatted);
  const Run before = run_secretc("test " + quote(file.string()));
  CHECK_MESSAGE(before.code == 0, (before.out + before.err));

  const Run run = run_secretc("fmt " + quote(file.string()));
  CHECK_MESSAGE(run.code == 0, run.err);
  CHECK(read_text(file) == kUncertainFormatted);
  CHECK(run_secretc("fmt --check " + quote(file.string())).code == 0);

  const Run after = run_secretc("test " + quote(file.string()));
  CHECK(after.code == before.code);
  CHECK(test_summary(after.out) == test_summary(before.out));
  CHECK(test_summary(after.out).find("tests : réussis 2, échoués 0") != std::string::npos);
}

TEST_CASE("fmt: usage errors and unreadable files") {
  CHECK(run_secretc("fmt").code == 2);
  CHECK(run_secretc("fmt --frobnicate x.rules").code == 2);
  const Run missing = run_secretc("fmt /nonexistent/rules.rules");
  CHECK(missing.code == 1);
  CHECK(missing.err.find("/nonexistent/rules.rules") != std::string::npos);
}
