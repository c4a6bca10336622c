// `secretc lint`, run as a user runs it: findings in the compiler's layout, witnesses that `check`
// confirms, justifications in the rule file, exit codes, and the Belgian rulebase itself.
#include <doctest/doctest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "tests/e2e/run.hpp"

using namespace secretc::e2e;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const char* kConflicting = R"(rulebase "lint" version "1"
fact cas.date : date = today
fact a : bool
fact b : bool
output v : enum { keep, may, must } = keep
rule one cite "art. 1" when a then v = may because "one"
rule two cite "art. 2" when b then v = must because "two"
)";

}  // namespace

TEST_CASE("lint reports a conflict with a case and check on that case reports the same conflict") {
  TempDir dir;
  const std::string rules = (dir / "conflict.rules").string();
  write_text(rules, kConflicting);
  const Run text = run_secretc("lint --lang en " + quote(rules));
  CHECK(text.code == 3);
  CHECK(text.out.find(rules +
                      ":7:6: warning: `two` and `one` can both apply, and neither overrides the other: they set `v` "
                      "to different values (must / may) [conflict]\n") != std::string::npos);
  CHECK(text.out.find("  a case where it happens:\n") != std::string::npos);
  CHECK(text.out.find("  note: `one` is here (" + rules + ":6)\n") != std::string::npos);
  CHECK(text.out.find("1 finding\n") != std::string::npos);
  // French by default: the words of the finding, its note, its hint and the count.
  const Run french = run_secretc("lint " + quote(rules));
  CHECK(french.code == 3);
  CHECK_MESSAGE(
      french.out.find(rules + ":7:6: warning: `two` et `one` peuvent s'appliquer ensemble, et aucune ne prime sur "
                              "l'autre : elles donnent à `v` des valeurs différentes (must / may) [conflict]\n") !=
          std::string::npos,
      french.out);
  CHECK(french.out.find("  un dossier où cela arrive :\n") != std::string::npos);
  CHECK(french.out.find("  note: `one` est ici (" + rules + ":6)\n") != std::string::npos);
  CHECK(french.out.find("  conseil: dites laquelle l'emporte (`overrides one` dans `two`") != std::string::npos);
  CHECK(french.out.find("1 constat\n") != std::string::npos);

  const Run run = run_secretc("lint --format json " + quote(rules));
  CHECK(run.code == 3);
  const json j = json::parse(run.out);
  REQUIRE(j.at("findings").size() == 1);
  const json& f = j.at("findings")[0];
  CHECK(f.at("check") == "conflict");
  CHECK(f.at("line") == 7);
  std::string case_text;
  for (const auto& [name, value] : f.at("case").items()) case_text += name + " = " + value.get<std::string>() + "\n";
  write_text(dir / "case.fact", case_text);
  const Run check = run_secretc(fmt::format("check --rules {} {}", quote(rules), quote((dir / "case.fact").string())));
  CHECK(check.code == 1);
  CHECK(check.err.find("the rules `one` and `two` set `v` to different values") != std::string::npos);
}

TEST_CASE("a finding justified in the rule file is not reported and --show-ignored shows it with its reason") {
  TempDir dir;
  const std::string rules = (dir / "justified.rules").string();
  std::string text = kConflicting;
  text.insert(text.find("rule two"),
              "# lint: ignore conflict(one) — les sources divergent ; le rapport montre les deux\n");
  write_text(rules, text);
  const Run run = run_secretc("lint --lang en " + quote(rules));
  CHECK(run.code == 0);
  CHECK(run.out == "no finding (1 justified by `# lint: ignore`)\n");
  CHECK(run_secretc("lint " + quote(rules)).out == "aucun constat (1 justifié par `# lint: ignore`)\n");
  const Run shown = run_secretc("lint --lang en --show-ignored " + quote(rules));
  CHECK(shown.code == 0);
  CHECK(shown.out.find(": note: justified: `two` and `one` can both apply") != std::string::npos);
  CHECK(shown.out.find("  reason given: les sources divergent ; le rapport montre les deux\n") != std::string::npos);
}

TEST_CASE("lint exits 0 with --exit-zero and 1 on rules that do not compile and 2 on a usage error") {
  TempDir dir;
  const std::string rules = (dir / "conflict.rules").string();
  write_text(rules, kConflicting);
  CHECK(run_secretc("lint --exit-zero " + quote(rules)).code == 0);
  write_text(dir / "broken.rules", "rule r when then\n");
  const Run broken = run_secretc("lint " + quote((dir / "broken.rules").string()));
  CHECK(broken.code == 1);
  CHECK(broken.err.find("error:") != std::string::npos);
  CHECK(run_secretc("lint").code == 2);
  CHECK(run_secretc("lint --format xml " + quote(rules)).code == 2);
}

TEST_CASE("lint is clean on the Belgian rulebase: every finding fixed or justified in the file") {
  const Run run = run_secretc("lint --format json stdlib-rules");
  CHECK_MESSAGE(run.code == 0, run.out << run.err);
  const json j = json::parse(run.out);
  CHECK(j.at("inconclusive").empty());
  for (const auto& f : j.at("findings")) CHECK_MESSAGE(f.at("justified") == true, f.dump());
  CHECK(run_secretc("lint stdlib-rules --exit-zero").code == 0);
}
