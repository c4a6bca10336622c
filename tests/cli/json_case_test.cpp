// A JSON case binds as the case file saying the same facts binds: same values, same forgiving words,
// the same errors — located by the member's JSON Pointer, or by line and column when it is not JSON.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/json_case.hpp"
#include "compiler/compile.hpp"
#include "compiler/parse_case.hpp"
#include "tests/compiler/support.hpp"

using namespace secretc;
namespace fs = std::filesystem;

namespace {

const Program& belgian() {
  return testing::belgian_rulebase();
}

constexpr std::int64_t kToday = 19800;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct FromFile {
  std::vector<CaseEntry> entries;
  BoundCase bound;
  Diagnostics diags;
};

FromFile bind_text(const std::string& text) {
  FromFile out;
  SourceSet sources;
  const std::uint32_t file = sources.add("case.fact", text);
  out.entries = parse_case(sources, file, out.diags);
  out.bound = bind_case(belgian(), out.entries, kToday, out.diags);
  return out;
}

void check_same(const BoundCase& a, const BoundCase& b) {
  REQUIRE(a.facts.size() == b.facts.size());
  for (std::size_t i = 0; i < a.facts.size(); ++i) {
    INFO("fact " << belgian().facts[i].name);
    CHECK(a.given[i] == b.given[i]);
    CHECK(a.facts[i].known == b.facts[i].known);
    if (a.facts[i].known && b.facts[i].known)
      CHECK(a.format(belgian(), static_cast<std::uint32_t>(i)) == b.format(belgian(), static_cast<std::uint32_t>(i)));
  }
}

std::vector<std::string> messages(const JsonCase& c, Severity severity) {
  std::vector<std::string> out;
  for (const JsonCaseProblem& p : c.problems) {
    if (p.severity == severity) out.push_back(p.path + " " + message_text(p.text, TextLang::English));
  }
  return out;
}

}  // namespace

TEST_CASE("every example written as JSON binds to the same case as its case file") {
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(SECRETC_SOURCE_DIR) / "examples")) {
    if (entry.path().extension() != ".fact") continue;
    const FromFile file = bind_text(read(entry.path()));
    REQUIRE(!file.diags.has_errors());
    const nlohmann::ordered_json j = case_json(belgian(), file.bound, file.entries);
    const JsonCase c = read_json_case(belgian(), j.dump(), kToday);
    INFO(entry.path().filename().string() << ": " << j.dump());
    REQUIRE(c.ok());
    check_same(file.bound, c.bound);
    ++checked;
  }
  CHECK(checked >= 20);
}

TEST_CASE("JSON values are read as the case file reads the words they stand for") {
  const FromFile file = bind_text(
      "confident.fonction = Médecin\nvictime.mineur = oui\ncas.date = 2023-10-10\ndanger.actuel = ?\n"
      "cas.titre = \"Un \\\"titre\\\"\"\ninfraction.article = \"371/1\"\nconfident.benevole = false\n");
  REQUIRE(!file.diags.has_errors());
  const JsonCase c = read_json_case(belgian(), R"({"case": "mon dossier", "facts": {
      "confident.fonction": "Médecin", "victime.mineur": "oui", "cas.date": "2023-10-10", "danger.actuel": null,
      "cas.titre": "Un \"titre\"", "infraction.article": "371/1", "confident.benevole": false}})",
                                    kToday);
  REQUIRE(c.ok());
  CHECK(c.name == "mon dossier");
  check_same(file.bound, c.bound);
  // The forgiving reading is said, as for a case file.
  CHECK(messages(c, Severity::Note) ==
        std::vector<std::string>{"/facts/confident.fonction `Médecin` read as `medecin`"});
  // A member written with a capital and a space for `_`, as a person writes it.
  const JsonCase s = read_json_case(belgian(), R"({"facts": {"confident.fonction": "Assistant social"}})", kToday);
  CHECK(s.ok());
  CHECK(messages(s, Severity::Note) ==
        std::vector<std::string>{"/facts/confident.fonction `Assistant social` read as `assistant_social`"});
}

TEST_CASE("a JSON case that is not JSON is located by line and column") {
  const JsonCase c = read_json_case(belgian(), "{\"facts\": {\n  \"victime.mineur\": tru\n}}", kToday);
  REQUIRE(c.problems.size() == 1);
  CHECK(c.problems[0].line == 2);
  CHECK(c.problems[0].column >= 21);
  CHECK(c.problems[0].path.empty());
  CHECK(message_text(c.problems[0].text, TextLang::English).starts_with("this is not JSON: "));
  CHECK(!c.ok());
  const JsonCase empty = read_json_case(belgian(), "", kToday);
  CHECK(!empty.ok());
}

TEST_CASE("every wrong fact of a JSON case is reported at its member, with the case file's hints") {
  const JsonCase c = read_json_case(belgian(), R"({"facts": {
      "confident.fontion": "medecin", "victime.mineur": 3, "cas.date": "2019-02-30",
      "destinataire.qualite": "juge", "danger.actuel": [true], "confident.fonction": "psychologue"},
      "extra": 1})",
                                    kToday);
  CHECK(!c.ok());
  const std::vector<std::string> errors = messages(c, Severity::Error);
  CHECK(errors ==
        std::vector<std::string>{
            "/extra unknown member `extra`; a case has `facts` and, optionally, `case` (and `notes`, ignored)",
            "/facts/confident.fontion unknown fact `confident.fontion`",
            "/facts/victime.mineur `3` is not a yes/no value; write `oui` or `non` (`true`/`false`, `vrai`/`faux`), or "
            "`?` if it is unknown",
            "/facts/cas.date `2019-02-30` is not a valid date",
            "/facts/destinataire.qualite `juge` is not a member of `qualite_destinataire`",
            "/facts/danger.actuel the value of `danger.actuel` is a string, a number, `true`, `false` or `null` "
            "(unknown)"});
  // The suggestion comes with the error, in French as well.
  CHECK(message_text(c.problems[1].hint, TextLang::English) == "did you mean `confident.fonction`?");
  const nlohmann::ordered_json fr = problems_json(c.problems, TextLang::French);
  CHECK(fr["errors"][1]["message"] == "fait inconnu `confident.fontion`");
  CHECK(fr["errors"][1]["hint"] == "vouliez-vous dire `confident.fonction` ?");
  CHECK(fr["errors"][1]["path"] == "/facts/confident.fontion");
}

TEST_CASE("a JSON case must be an object of facts, each given once") {
  CHECK(!read_json_case(belgian(), "[]", kToday).ok());
  CHECK(!read_json_case(belgian(), R"({"confident.fonction": "medecin"})", kToday).ok());
  CHECK(!read_json_case(belgian(), R"({"facts": []})", kToday).ok());
  CHECK(!read_json_case(belgian(), R"({"facts": {}, "case": 3})", kToday).ok());
  const JsonCase twice =
      read_json_case(belgian(), R"({"facts": {"victime.mineur": true, "victime.mineur": false}})", kToday);
  CHECK(messages(twice, Severity::Error) ==
        std::vector<std::string>{"/facts/victime.mineur `victime.mineur` is given twice; keep one member for it"});
  // An empty case is a case: every fact unknown or defaulted.
  const JsonCase none = read_json_case(belgian(), R"({"facts": {}})", kToday);
  CHECK(none.ok());
  CHECK(none.name == "-");
}

TEST_CASE("a JSON Pointer escapes `~` and `/` in a member's name") {
  const JsonCase c = read_json_case(belgian(), R"({"facts": {"a/b~c": 1}})", kToday);
  REQUIRE(!c.problems.empty());
  CHECK(c.problems[0].path == "/facts/a~1b~0c");
}

TEST_CASE("a JSON case nested deeper than a case can be is refused at once, however deep it goes") {
  // Sixteen levels are read (and refused for their shape); past them the parse stops. A megabyte of
  // `[` or of `{"a":` is refused as quickly, without memory growing with the depth.
  const auto nested = [](std::size_t depth, const std::string& open, const std::string& close) {
    std::string text;
    for (std::size_t i = 0; i < depth; ++i) text += open;
    text += "1";
    for (std::size_t i = 0; i < depth; ++i) text += close;
    return text;
  };
  const JsonCase shallow = read_json_case(belgian(), R"({"facts": {"x": [[[1]]]}})", kToday);
  CHECK(!shallow.ok());
  CHECK(messages(shallow, Severity::Error).at(0).find("nested") == std::string::npos);
  for (const auto& [open, close] : {std::pair<std::string, std::string>{"[", "]"}, {"{\"a\":", "}"}}) {
    for (const std::size_t depth : {std::size_t{kMaxJsonDepth + 1}, std::size_t{200'000}}) {
      const JsonCase deep = read_json_case(belgian(), nested(depth, open, close), kToday);
      INFO(open << " × " << depth);
      REQUIRE(deep.problems.size() == 1);
      CHECK(!deep.ok());
      CHECK(message_text(deep.problems[0].text, TextLang::English) ==
            "objects and arrays nested more than 16 deep: a case is not shaped so");
    }
  }
  const JsonCase in_facts =
      read_json_case(belgian(), "{\"facts\": {\"a\": " + nested(20, "{\"b\":", "}") + "}}", kToday);
  REQUIRE(!in_facts.problems.empty());
  CHECK(in_facts.problems[0].path.starts_with("/facts/a/b/b"));
}

TEST_CASE("a JSON case that is not UTF-8 is refused with a message that is itself valid UTF-8") {
  // nlohmann quotes the bytes it last read; those bytes are the invalid ones (found by fuzz_json_case).
  const JsonCase c = read_json_case(belgian(),
                                    "{\"facts\": {\"confident.fonction\": \"m\xC3\xA9"
                                    "decin\xFF\xFE\"}}",
                                    kToday);
  REQUIRE(c.problems.size() == 1);
  CHECK(c.problems[0].line == 1);
  const std::string text = problems_json(c.problems, TextLang::French).dump();
  CHECK(text.find("\xEF\xBF\xBD") != std::string::npos);
  CHECK(text.find("ce n'est pas du JSON") != std::string::npos);
}

TEST_CASE("a number too large for JSON's doubles is a problem of the case, not an exception") {
  // Found by fuzz_json_case: nlohmann reports `1e999` as out_of_range, not as a parse_error.
  const JsonCase c = read_json_case(belgian(), R"({"facts": {"victime.mineur": 1e999}})", kToday);
  REQUIRE(c.problems.size() == 1);
  CHECK(!c.ok());
  CHECK(message_text(c.problems[0].text, TextLang::English).find("number overflow") != std::string::npos);
  const JsonCase line = read_json_line(belgian(), R"({"id": 1e400})", kToday);
  CHECK(!line.ok());
}

TEST_CASE("a JSON line binds as the same facts written as a JSON case, by the fast way and the long way alike") {
  // Clean lines take the fast scanner's way; a line with a forgiven word, a float or a repeated name takes the
  // long way. Every example, both ways, binds as its case file does.
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(SECRETC_SOURCE_DIR) / "examples")) {
    if (entry.path().extension() != ".fact") continue;
    const FromFile file = bind_text(read(entry.path()));
    REQUIRE(!file.diags.has_errors());
    nlohmann::ordered_json facts = case_json(belgian(), file.bound, file.entries)["facts"];
    facts["id"] = entry.path().stem().string();
    const JsonCase fast = read_json_line(belgian(), facts.dump(), kToday);
    INFO(entry.path().filename().string() << ": " << facts.dump());
    REQUIRE(fast.ok());
    CHECK(fast.problems.empty());
    CHECK(fast.id == nlohmann::ordered_json(entry.path().stem().string()).dump());
    check_same(file.bound, fast.bound);
    // The same line, with a word the reader forgives (a capital): the long way, a note, the same facts.
    if (facts.contains("confident.fonction")) {
      facts["confident.fonction"] = "Assistant_Social";
      const JsonCase slow = read_json_line(belgian(), facts.dump(), kToday);
      REQUIRE(slow.ok());
      CHECK(!slow.problems.empty());
    }
    ++checked;
  }
  CHECK(checked >= 20);
  // Integers and an integer id: the fast way keeps them as the long way does.
  const JsonCase n = read_json_line(belgian(), R"({"id": 42, "cas.date": "2024-05-01"})", kToday);
  REQUIRE(n.ok());
  CHECK(n.id == "42");
  const JsonCase twice = read_json_line(belgian(), R"({"victime.mineur": true, "victime.mineur": false})", kToday);
  CHECK(!twice.ok());
  CHECK(twice.problems.at(0).path == "/victime.mineur");
}

TEST_CASE("the scanner of flat JSON lines reads each line as the long way does, or leaves it to the long way") {
  const std::vector<std::string> lines{
      R"({"victime.mineur": true, "confident.fonction": "medecin", "cas.date": "2024-05-01"})",
      R"({})",
      R"(  { "victime.mineur" : false }  )",
      "{\"victime.mineur\":\ttrue\r\n}",
      R"({"victime.mineur": null})",
      R"({"id": "case-1", "victime.mineur": true})",
      R"({"id": 42, "victime.mineur": true})",
      R"({"id": -42})",
      R"({"id": -0})",
      R"({"id": 042})",
      R"({"id": 1.5})",
      R"({"id": 1e3})",
      R"({"id": 9223372036854775807})",
      R"({"id": 9223372036854775808})",
      R"({"id": -9223372036854775808})",
      R"({"id": "a", "id": "b"})",
      R"({"id": "caf\u00e9"})",
      "{\"id\": \"caf\xC3\xA9\"}",
      "{\"id\": \"\x7F\"}",
      R"({"id": true})",
      R"({"id": null})",
      R"({"victime.mineur": true, "victime.mineur": false})",
      R"({"victime.mineur": "oui"})",
      R"({"victime.mineur": "Oui"})",
      R"({"confident.fonction": "Médecin"})",
      "{\"confident.fonction\": \"m\xC3\xA9"
      "decin\"}",
      "{\"confident.fonction\": \"m\xC3"
      "decin\"}",
      "{\"confident.fonction\": \"med\tecin\"}",
      R"({"confident.fonction": "med\"ecin"})",
      R"({"confident.fonction": "medecin_qui_a_un_nom_long_de_plus_de_huit_octets"})",
      R"({"victime.age": 3})",
      // Each kind of value the fast way binds itself (exact_value), and those it leaves to the binder.
      R"({"confident.fonction": null, "cas.date": null})",
      R"({"confident.fonction": "?"})",
      R"({"confident.fonction": "inconnu"})",
      R"({"confident.fonction": true})",
      R"({"confident.fonction": 3})",
      R"({"victime.mineur": "true"})",
      R"({"victime.mineur": 1})",
      R"({"cas.date": "2024-02-30"})",
      R"({"cas.date": "2024-2-3"})",
      R"({"cas.date": 20240501})",
      R"({"cas.titre": "Une situation"})",
      R"({"cas.titre": 12})",
      R"({"infraction.article": "458bis"})",
      R"({"infraction.article": 458})",
      R"({"infraction.article": "quatre"})",
      R"({"victime.mineur": [true]})",
      R"({"victime.mineur": {"a": 1}})",
      R"({"victime.mineur": true,})",
      R"({"victime.mineur": true} x)",
      R"({"victime.mineur": true}})",
      R"({"victime.mineur" true})",
      R"({"victime.mineur": tru})",
      R"({"victime.mineur": truex})",
      R"({"victime.mineur": nul})",
      R"({"victime.mineur": -})",
      R"([1, 2])",
      R"("text")",
      R"({"victime.mineur": true)",
      R"({"victime.mineur": "unterminated)",
      "",
      "   ",
  };
  for (const std::string& line : lines) {
    CAPTURE(line);
    JsonCase fast, slow;
    read_json_line(belgian(), line, kToday, fast, secretc::JsonScan::Fast);
    read_json_line(belgian(), line, kToday, slow, secretc::JsonScan::Long);
    CHECK(fast.ok() == slow.ok());
    CHECK(fast.id == slow.id);
    CHECK(fast.problems.size() == slow.problems.size());
    if (fast.ok() && slow.ok()) check_same(fast.bound, slow.bound);
  }
}
