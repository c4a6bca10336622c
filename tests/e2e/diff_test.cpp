// `secretc diff`, run as a user runs it: on the Belgian rulebase as it stood before the Constitutional
// Court annulled the active declaration duty (14 March 2019) and as it stands today; every witness it
// writes is checked by running `secretc check` on it with both versions.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include <nlohmann/json.hpp>

#include "tests/e2e/run.hpp"

using namespace secretc::e2e;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::string kBefore = "tests/data/diff/stdlib_2019-03-13";  // see its 10_terrorisme_46bis1.rules

// What `check --format json` answers on a case file (null when it printed nothing), and its exit code.
json check(const std::string& rules, const std::string& case_file, int& code) {
  const Run run = run_secretc(fmt::format("check --format json --rules {} {}", quote(rules), quote(case_file)));
  code = run.code;
  if (run.out.empty()) return nullptr;
  return json::parse(run.out);
}

bool contains(const json& list, const json& x) {
  return std::find(list.begin(), list.end(), x) != list.end();
}

// The provisos `check` says the answer states, by text.
json stated(const json& answer) {
  json texts = json::array();
  for (const auto& p : answer.at("provisos")) texts.push_back(p.at("text"));
  return texts;
}

// Checks one witness of a `diff --format json` against `check` with both versions: the answer diff
// claims for each version is the one `check` gives, as far as `check` shows it (the value to act on,
// settled or not, the values still possible, the provisos stated).
void confirm(const json& change, const std::string& old_rules, const std::string& new_rules) {
  const std::string file = change.at("witness").at("file");
  const std::string output = change.at("output");
  CAPTURE(file);
  REQUIRE(fs::exists(file));
  int old_code = 0, new_code = 0;
  const json a = check(old_rules, file, old_code);
  const json b = check(new_rules, file, new_code);
  CHECK(old_code == (change.at("old").at("conflict").get<bool>() ? 1 : 0));
  CHECK(new_code == (change.at("new").at("conflict").get<bool>() ? 1 : 0));
  if (a.is_null() || b.is_null()) return;
  const std::string kind = change.at("kind");
  for (const auto& [side, answer] : {std::pair{"old", &a}, std::pair{"new", &b}}) {
    CAPTURE(side);
    const json& claim = change.at(side);
    const json& status = answer->at("status").at(output);
    CHECK(status.at("settled") == claim.at("settled"));
    if (kind == "value" || kind == "proviso_added" || kind == "proviso_removed") {
      CHECK(answer->at("outputs").at(output) == claim.at("value"));
      if (!claim.at("settled").get<bool>()) CHECK(status.at("possible") == claim.at("possible"));
      for (const auto& p : claim.at("provisos")) CHECK(contains(stated(*answer), p));
    } else {
      const json& member = change.at("member");
      const std::string holds = contains(answer->at("outputs").at(output), member) ? "yes"
                                : contains(status.at("possible"), member)          ? "maybe"
                                                                                   : "no";
      CHECK(holds == claim.at("holds"));
      CHECK(status.at("possible") == claim.at("possible"));
    }
  }
  if (kind == "proviso_added" || kind == "proviso_removed") {
    const bool added = kind == "proviso_added";
    CHECK(contains(stated(a), change.at("proviso")) == !added);
    CHECK(contains(stated(b), change.at("proviso")) == added);
  }
  if (kind == "value") {
    const auto seen = [&](const json& j) {
      return json::array({j.at("outputs").at(output), j.at("status").at(output)});
    };
    CHECK(seen(a) != seen(b));
  }
}

// The Belgian rulebase copied with its files in reverse order (every declaration moves) and one
// explanation reworded.
void cosmetic_copy(const fs::path& into) {
  const fs::path from = fs::path(SECRETC_SOURCE_DIR) / "stdlib-rules";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(from)) {
    if (e.path().extension() == ".rules") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  bool reworded = false;
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::string text = read_text(files[i]);
    if (const auto at = text.find("  parce que \""); !reworded && at != std::string::npos) {
      text.insert(at + 13, "En d'autres mots : ");
      reworded = true;
    }
    write_text(into / fmt::format("{:02}_{}", files.size() - i, files[i].filename().string()), text);
  }
}

std::vector<std::string> names(const json& list) {
  std::vector<std::string> out;
  for (const auto& x : list) out.push_back(x.at("name"));
  return out;
}

}  // namespace

TEST_CASE(
    "diff from 13 March 2019 to today shows the active declaration duty disappearing and check confirms every "
    "witness") {
  TempDir dir;
  const std::string witnesses = (dir / "witnesses").string();
  const Run run = run_secretc(
      fmt::format("diff --format json --exit-code --witness {} {} stdlib-rules", quote(witnesses), kBefore));
  REQUIRE_MESSAGE(run.code == 3, run.err);
  CHECK(run.err.empty());
  const json j = json::parse(run.out);

  // The text: the annulment rule is new, the duty got its end date.
  const auto added = names(j.at("rules").at("added"));
  CHECK(std::find(added.begin(), added.end(), "o2_apres_annulation") != added.end());
  bool dated = false;
  for (const auto& c : j.at("rules").at("changed")) {
    if (c.at("name") != "o2_declaration_d_indices_serieux") continue;
    for (const auto& x : c.at("changes")) {
      dated = dated || (x.at("clause") == "validity" &&
                        x.at("new") ==
                            "valable du 2017-05-17 au 2019-03-14 \"annulée par C.C., arrêt 44/2019 du 14 mars 2019\"");
    }
  }
  CHECK(dated);

  // The behaviour: someone who had to declare now keeps the secret, on a day after the annulment; the
  // settled answers that change come first.
  CHECK(j.at("behaviour").at("differs") == true);
  CHECK(j.at("behaviour").at("complete") == true);
  CHECK(j.at("behaviour").at("inconclusive").empty());
  const json& changes = j.at("behaviour").at("changes");
  REQUIRE(!changes.empty());
  const json& duty_gone = changes[0];
  CHECK(duty_gone.at("output") == "verdict");
  CHECK(duty_gone.at("old").at("value") == "doit_reveler");
  CHECK(duty_gone.at("new").at("value") == "garder_le_secret");
  CHECK(duty_gone.at("old").at("settled") == true);
  CHECK(duty_gone.at("new").at("settled") == true);
  CHECK(duty_gone.at("witness").at("facts").at("cas.date").get<std::string>() >= "2019-03-14");
  CHECK(duty_gone.at("witness").at("facts").at("terrorisme.indices_serieux") == "vrai");
  CHECK(duty_gone.at("old").at("decided_by") == json::array({"o2_declaration_d_indices_serieux"}));
  const auto& by_new = duty_gone.at("new").at("decided_by");
  CHECK(std::find(by_new.begin(), by_new.end(), "o2_apres_annulation") != by_new.end());
  const auto procureur_only = std::find_if(changes.begin(), changes.end(), [](const json& c) {
    return c.at("output") == "conditions" && c.at("kind") == "member_removed" &&
           c.at("member") == "au_procureur_du_roi_uniquement" && c.at("old").at("holds") == "yes" &&
           c.at("new").at("holds") == "no";
  });
  CHECK(procureur_only != changes.end());
  // A case that does not say whether there are serious indications: before the annulment the duty may
  // bind, after it it does not; an answer that was not settled changes too.
  const auto open = std::find_if(changes.begin(), changes.end(), [](const json& c) {
    return c.at("output") == "verdict" && c.at("old").at("settled") == false &&
           contains(c.at("old").at("possible"), "doit_reveler") &&
           !contains(c.at("new").at("possible"), "doit_reveler");
  });
  CHECK(open != changes.end());

  // Every witness is a runnable case file on which `check` gives what diff claims, with both versions.
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(witnesses)) files += e.path().extension() == ".fact" ? 1 : 0;
  CHECK(files == changes.size());
  for (const auto& change : changes) confirm(change, kBefore, "stdlib-rules");
}

TEST_CASE("the rulebase of 13 March 2019 passes its own tests") {
  const Run run = run_secretc("test " + kBefore);
  CHECK_MESSAGE(run.code == 0, run.out << run.err);
}

TEST_CASE("diff prints the rules as a jurist reads them and the witness beside each change") {
  const Run run = run_secretc(fmt::format("diff {} stdlib-rules", kBefore));
  REQUIRE_MESSAGE(run.code == 0, run.err);  // without --exit-code, a difference is no failure
  CHECK(run.out.find("+ règle o2_apres_annulation  (stdlib-rules/10_terrorisme_46bis1.rules:") != std::string::npos);
  CHECK(run.out.find("    valable à partir du 2019-03-14\n") != std::string::npos);
  CHECK(run.out.find("Behaviour: ") != std::string::npos);
  CHECK(run.out.find("\n1. verdict: doit_reveler → garder_le_secret\n   case:\n     cas.date = ") != std::string::npos);
  CHECK(
      run.out.find("    quand institution_de_securite_sociale et cadre_professionnel et terrorisme.indices_serieux et "
                   "situation == signalement et destinataire.qualite dans { procureur_du_roi, police }\n") !=
      std::string::npos);
  CHECK(run.out.find("~ règle e3_etat_de_necessite") != std::string::npos);
  CHECK(run.out.find("    prime sur\n      + o2_apres_annulation\n") != std::string::npos);
  CHECK(run.out.find(". verdict: doit_reveler → garder_le_secret\n   case:\n     cas.date = ") != std::string::npos);
  CHECK(run.out.find("   OLD: doit_reveler — decided by `o2_declaration_d_indices_serieux`") != std::string::npos);
}

TEST_CASE("reordered files and a reworded explanation give no behavioural difference") {
  TempDir dir;
  cosmetic_copy(dir.path);
  const Run run = run_secretc(fmt::format("diff --exit-code stdlib-rules {}", quote(dir.path.string())));
  REQUIRE_MESSAGE(run.code == 0, run.err << run.out);
  CHECK(run.out.find("Rules: 0 added, 0 removed, 1 changed") != std::string::npos);
  CHECK(run.out.find("    parce que\n      - \"") != std::string::npos);
  CHECK(run.out.find("Behaviour: no case gets a different answer.\n") != std::string::npos);
}

TEST_CASE("a compiled rulebase and its sources are compared alike") {
  TempDir dir;
  const std::string secbc = (dir / "before.secbc").string();
  REQUIRE(run_secretc(fmt::format("compile {} -o {}", kBefore, quote(secbc))).code == 0);
  const Run from_sources = run_secretc(fmt::format("diff --format json {} stdlib-rules", kBefore));
  const Run from_bytecode = run_secretc(fmt::format("diff --format json {} stdlib-rules", quote(secbc)));
  REQUIRE_MESSAGE(from_bytecode.code == 0, from_bytecode.err);
  json a = json::parse(from_sources.out).at("behaviour"), b = json::parse(from_bytecode.out).at("behaviour");
  for (auto* x : {&a, &b}) {
    for (auto& c : x->at("changes")) c.erase("witness");  // the file names its versions' paths
  }
  CHECK(a == b);
  CHECK(json::parse(from_sources.out).at("rules") == json::parse(from_bytecode.out).at("rules"));
}

TEST_CASE("the embedded rulebase compared with its own sources differs in nothing") {
  const Run run = run_secretc("diff --exit-code - stdlib-rules");
  REQUIRE_MESSAGE(run.code == 0, run.err);
  CHECK(run.out.find("Rules: 0 added, 0 removed, 0 changed") != std::string::npos);
  CHECK(run.out.find("Behaviour: no case gets a different answer.") != std::string::npos);
}

TEST_CASE("diff: a version that does not compile is invalid input and a missing argument a usage error") {
  TempDir dir;
  write_text(dir / "broken.rules", "règle sans_alors quand vrai\n");
  const Run broken = run_secretc(fmt::format("diff stdlib-rules {}", quote((dir / "broken.rules").string())));
  CHECK(broken.code == 1);
  CHECK(broken.err.find("broken.rules:1:") != std::string::npos);
  CHECK(run_secretc("diff stdlib-rules does/not/exist").code == 1);
  CHECK(run_secretc("diff stdlib-rules").code == 2);
  CHECK(run_secretc("diff --timeout 0 stdlib-rules stdlib-rules").code == 2);
}

TEST_CASE("diff --witness writes into a new or empty folder only, unless --force") {
  TempDir dir;
  const fs::path witnesses = dir / "witnesses";
  const std::string args = "tests/data/mini tests/data/diff/mini_2025";
  const Run first = run_secretc(fmt::format("diff --witness {} {}", quote(witnesses.string()), args));
  REQUIRE_MESSAGE(first.code == 0, first.err);
  std::size_t written = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(witnesses)) ++written;
  REQUIRE(written > 0);
  // A second run into the same folder would mix its witnesses with the first's: refused, nothing written.
  write_text(witnesses / "earlier-note.txt", "mine\n");
  const Run again = run_secretc(fmt::format("diff --witness {} {}", quote(witnesses.string()), args));
  CHECK(again.code == 2);
  CHECK(again.out.empty());
  CHECK(again.err.find("is not empty; name a new or empty folder for the witnesses, or add --force") !=
        std::string::npos);
  CHECK(read_text(witnesses / "earlier-note.txt") == "mine\n");
  const Run forced = run_secretc(fmt::format("diff --force --witness {} {}", quote(witnesses.string()), args));
  CHECK(forced.code == 0);
  CHECK(forced.out == first.out);
  CHECK(read_text(witnesses / "earlier-note.txt") == "mine\n");        // --force adds, it deletes nothing
  CHECK(run_secretc(fmt::format("diff --force {}", args)).code == 2);  // --force alone means nothing
}

TEST_CASE("diff dates its witnesses by --date, or else by a day of the rulebases: never by today") {
  const std::string args = "--format json tests/data/mini tests/data/diff/mini_2025";
  const json stable = json::parse(run_secretc("diff " + args).out);
  const json pinned = json::parse(run_secretc("diff --date 2024-06-01 " + args).out);
  // The witnesses' days, how many of each.
  const auto days = [](const json& report) {
    std::map<std::string, int> out;
    for (const auto& c : report.at("behaviour").at("changes")) {
      const json& facts = c.at("witness").at("facts");
      if (facts.contains("cas.date")) ++out[facts.at("cas.date").get<std::string>()];
    }
    return out;
  };
  // The new version is `as of 2025-01-01`: witnesses free to choose their day take that one.
  CHECK(days(stable)["2025-01-01"] > 0);
  CHECK(days(pinned)["2024-06-01"] > 0);
  CHECK(days(pinned).count("2025-01-01") == 0);
  const Run bad = run_secretc("diff --date 2024-13-01 " + args);
  CHECK(bad.code == 2);
  CHECK(bad.err.find("`--date 2024-13-01` is not a valid date") != std::string::npos);
}

TEST_CASE("a rulebase's hash is its contents': the same from a relative path, an absolute one or a copy") {
  TempDir dir;
  fs::create_directories(dir / "copy");
  fs::copy(fs::path(SECRETC_SOURCE_DIR) / "tests/data/mini", dir / "copy" / "mini");
  const auto hash = [](const std::string& rules) {
    const Run r = run_secretc(fmt::format("check --format json --rules {} --date 2024-05-01 -", quote(rules)),
                              std::string("who.role = doctor\n"));
    REQUIRE_MESSAGE(!r.out.empty(), r.err);
    return json::parse(r.out).at("rulebase").at("hash").get<std::string>();
  };
  const std::string relative = hash("tests/data/mini");
  CHECK(relative == hash(std::string(SECRETC_SOURCE_DIR) + "/tests/data/mini"));
  CHECK(relative == hash((dir / "copy" / "mini").string()));
  CHECK(relative != hash("tests/data/diff/mini_2025"));
}

TEST_CASE("two rules changed alike give one witness each, grouped by cause, and check confirms every witness") {
  TempDir dir;
  const std::string witnesses = (dir / "witnesses").string();
  const std::string before = "tests/data/diff/causes_2024", after = "tests/data/diff/causes_2025";
  const Run run = run_secretc(fmt::format("diff --format json --witness {} {} {}", quote(witnesses), before, after));
  REQUIRE_MESSAGE(run.code == 0, run.err);
  const json j = json::parse(run.out);
  const json& changes = j.at("behaviour").at("changes");
  // garder_le_secret → peut_reveler, settled both: once for each loosened rule.
  std::vector<std::string> causes;
  for (const auto& c : changes) {
    if (c.at("old").at("value") != "garder_le_secret" || c.at("new").at("value") != "peut_reveler" ||
        !c.at("old").at("settled").get<bool>() || !c.at("new").at("settled").get<bool>()) {
      continue;
    }
    REQUIRE(c.at("cause").size() == 1);
    CHECK(c.at("cause")[0].at("kind") == "rule");
    causes.push_back(c.at("cause")[0].at("name"));
  }
  std::sort(causes.begin(), causes.end());
  CHECK(causes == std::vector<std::string>{"accord_en_urgence", "etat_de_necessite"});
  // The groups list their changes, which follow one another; each change names its group's cause.
  std::size_t next = 0;
  for (const auto& group : j.at("behaviour").at("causes")) {
    for (const auto& i : group.at("changes")) {
      CHECK(i.get<std::size_t>() == next++);
      CHECK(changes.at(i.get<std::size_t>()).at("cause") == group.at("cause"));
    }
  }
  CHECK(next == changes.size());
  // The mediator is no longer bound: the named set is shown once, as a definition, with the member it lost.
  bool tenu = false;
  for (const auto& v : j.at("vocabulary")) {
    if (v.at("name") == "fonctions_tenues") tenu = v.at("details")[0].at("items_removed") == json::array({"mediateur"});
  }
  CHECK(tenu);
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(witnesses)) files += e.path().extension() == ".fact" ? 1 : 0;
  CHECK(files == changes.size());
  for (const auto& change : changes) confirm(change, before, after);

  const Run text = run_secretc(fmt::format("diff {} {}", before, after));
  CHECK(text.out.find("\nCause: règle etat_de_necessite (changed)\n\n") != std::string::npos);
  CHECK(text.out.find("\nCause: règle accord_en_urgence (changed)\n\n") != std::string::npos);
  CHECK(text.out.find("      removed from the set: mediateur\n") != std::string::npos);
}
