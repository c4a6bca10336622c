// `secretc doc`, run as a user runs it: the pages it writes, the folders it refuses, and bad input that
// leaves nothing behind. The site itself is checked in a browser by tests/browser/doc_test.mjs.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "tests/e2e/run.hpp"

using namespace secretc::e2e;
namespace fs = std::filesystem;

TEST_CASE("doc writes a page per rule, fact and definition, from sources, a .secbc or the embedded rulebase") {
  TempDir dir;
  const fs::path site = dir / "site";
  const Run run = run_secretc(fmt::format("doc --rules stdlib-rules --examples examples -o {}", quote(site.string())));
  REQUIRE_MESSAGE(run.code == 0, run.err);
  CHECK(run.out.find("pages written to") != std::string::npos);
  const std::string rule = read_text(site / "regles" / "e2_article_458bis.html");
  CHECK(rule.find("<h1>Infraction grave sur un mineur") != std::string::npos);
  CHECK(rule.find("art. 458bis C. pén.") != std::string::npos);
  CHECK(rule.find("href=\"../faits/victime.mineur.html\"") != std::string::npos);  // the facts it reads
  CHECK(rule.find("<h2>Tests</h2>") != std::string::npos);                         // from sources: its tests
  CHECK(rule.find("<h2>Exemples</h2>") != std::string::npos);
  const std::string fact = read_text(site / "faits" / "victime.mineur.html");
  CHECK(fact.find("Règles qui le lisent") != std::string::npos);
  CHECK(fact.find("e2_article_458bis") != std::string::npos);
  CHECK(fs::exists(site / "index.html"));
  // The embedded rulebase gives the same rule pages, without the tests (only sources hold them).
  const fs::path embedded = dir / "embedded";
  REQUIRE(run_secretc(fmt::format("doc -o {}", quote(embedded.string()))).code == 0);
  const std::string same = read_text(embedded / "regles" / "e2_article_458bis.html");
  CHECK(same.find("<h2>Tests</h2>") == std::string::npos);
  CHECK(same.find("art. 458bis C. pén.") != std::string::npos);
  // Written again into its own folder: replaced whole.
  REQUIRE(run_secretc(fmt::format("doc -o {}", quote(site.string()))).code == 0);
  CHECK(read_text(site / "regles" / "e2_article_458bis.html") == same);
}

TEST_CASE("doc refuses a folder of other files, and bad rules or examples leave nothing behind") {
  TempDir dir;
  const fs::path mine = dir / "mine";
  fs::create_directories(mine);
  write_text(mine / "notes.txt", "à moi\n");
  const Run refused = run_secretc(fmt::format("doc -o {}", quote(mine.string())));
  CHECK(refused.code == 2);
  CHECK(refused.err.find("holds files `secretc doc` did not write") != std::string::npos);
  CHECK(read_text(mine / "notes.txt") == "à moi\n");

  write_text(dir / "bad.rules", "base \"b\" version \"1\"\nrègle r quand vrai\n");
  const fs::path none = dir / "none";
  const Run bad =
      run_secretc(fmt::format("doc --rules {} -o {}", quote((dir / "bad.rules").string()), quote(none.string())));
  CHECK(bad.code == 1);
  CHECK(bad.err.find("bad.rules:2:") != std::string::npos);
  CHECK(!fs::exists(none));
  const Run no_examples =
      run_secretc(fmt::format("doc --examples {} -o {}", quote((dir / "nowhere").string()), quote(none.string())));
  CHECK(no_examples.code == 1);
  CHECK(no_examples.err.find("is neither a case file nor a folder") != std::string::npos);
  CHECK(!fs::exists(none));
  CHECK(run_secretc("doc").code == 2);  // -o is required
  // Nothing but the folders asked for was written beside them (no staging folder left).
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path)) ++entries;
  CHECK(entries == 2);  // mine/ and bad.rules
}
