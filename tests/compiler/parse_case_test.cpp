// Reading case files into entries: values, locations, and every malformed line reported once.
#include <chrono>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "compiler/parse_case.hpp"

namespace {

using secretc::CaseEntry;
using secretc::CaseValueKind;
using secretc::Diagnostic;
using secretc::Diagnostics;
using secretc::SourceSet;

struct Parsed {
  SourceSet sources;
  Diagnostics diags;
  std::vector<CaseEntry> entries;
};

Parsed parse(std::string text) {
  Parsed p;
  const std::uint32_t file = p.sources.add("case.fact", std::move(text));
  p.entries = secretc::parse_case(p.sources, file, p.diags);
  return p;
}

// `line:col: message` of every error, in order.
std::vector<std::string> errors(const Parsed& p) {
  std::vector<std::string> out;
  for (const Diagnostic& d : p.diags.sorted()) {
    if (d.severity == secretc::Severity::Error) {
      out.push_back(std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ": " + d.message);
    }
  }
  return out;
}

// The single error of a one-line file.
std::string only_error(std::string text) {
  const Parsed p = parse(std::move(text));
  const std::vector<std::string> e = errors(p);
  REQUIRE(e.size() == 1);
  return e.front();
}

}  // namespace

TEST_CASE("each line gives an entry with its name, its kind of value and its text") {
  const Parsed p = parse(
      "victime.mineur = oui\n"
      "confident.fonction = psychiatre\n"
      "cas.date = 2024-05-01\n"
      "personnes = -3\n"
      "cas.titre = \"Madame L.\"\n"
      "infraction.article = 371/1\n"
      "danger.actuel = ?\n"
      "danger.grave_et_imminent = inconnu\n");
  CHECK(!p.diags.has_errors());
  REQUIRE(p.entries.size() == 8);
  const std::vector<std::pair<CaseValueKind, std::string>> expected{
      {CaseValueKind::Word, "oui"},   {CaseValueKind::Word, "psychiatre"},  {CaseValueKind::Date, "2024-05-01"},
      {CaseValueKind::Integer, "-3"}, {CaseValueKind::String, "Madame L."}, {CaseValueKind::Article, "371/1"},
      {CaseValueKind::Unknown, "?"},  {CaseValueKind::Unknown, "inconnu"},
  };
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(i);
    CHECK(p.entries[i].kind == expected[i].first);
    CHECK(p.entries[i].text == expected[i].second);
  }
  CHECK(p.entries[0].name == "victime.mineur");
  CHECK(p.entries[5].name == "infraction.article");
}

TEST_CASE("an article with a Latin suffix is an article token") {
  const Parsed p = parse("infraction.article = 405ter\n");
  REQUIRE(p.entries.size() == 1);
  CHECK(p.entries[0].kind == CaseValueKind::Article);
  CHECK(p.entries[0].text == "405ter");
}

TEST_CASE("names and values are located at 1-based lines and columns") {
  const Parsed p = parse("# header\n\n  victime.mineur   =   oui\ncas.titre = \"x\"\n");
  REQUIRE(p.entries.size() == 2);
  CHECK(p.entries[0].name_at.line == 3);
  CHECK(p.entries[0].name_at.column == 3);
  CHECK(p.entries[0].value_at.line == 3);
  CHECK(p.entries[0].value_at.column == 24);
  CHECK(p.entries[1].name_at.line == 4);
  CHECK(p.entries[1].name_at.column == 1);
  CHECK(p.entries[1].value_at.column == 13);  // the opening quote
}

TEST_CASE("columns count characters, not bytes") {
  const Parsed p = parse("cas.titre = \"élève\" x\n");
  CHECK(errors(p) == std::vector<std::string>{
                         "1:21: unexpected `x` after the value of `cas.titre`; write one `name = value` per line "
                         "and start comments with `#`"});
}

TEST_CASE("strings are unescaped, and a hash inside one is no comment") {
  const Parsed p = parse("cas.titre = \"dit \\\"non\\\" # et \\\\ rien\" # comment\n");
  CHECK(!p.diags.has_errors());
  REQUIRE(p.entries.size() == 1);
  CHECK(p.entries[0].text == "dit \"non\" # et \\ rien");
}

TEST_CASE("comments and blank lines give no entry but count as lines") {
  const Parsed p = parse("# comment\n\n   \n\t# indented comment\nvictime.mineur = oui # trailing\n");
  CHECK(!p.diags.has_errors());
  REQUIRE(p.entries.size() == 1);
  CHECK(p.entries[0].name_at.line == 5);
  CHECK(p.entries[0].text == "oui");
}

TEST_CASE("a BOM is skipped and not counted in columns") {
  const Parsed p = parse("\xEF\xBB\xBFvictime.mineur = oui\nvictime.vulnerable = non\n");
  CHECK(!p.diags.has_errors());
  REQUIRE(p.entries.size() == 2);
  CHECK(p.entries[0].name == "victime.mineur");
  CHECK(p.entries[0].name_at.column == 1);
  CHECK(p.entries[0].value_at.column == 18);

  const Parsed bad = parse("\xEF\xBB\xBFvictime.mineur oui\n");
  CHECK(errors(bad) == std::vector<std::string>{"1:16: expected `=` after the name `victime.mineur`"});
}

TEST_CASE("CRLF line ends are read like LF ones") {
  const Parsed p = parse("# c\r\nvictime.mineur = oui\r\n\r\ncas.titre = \"a\"   \r\ncas.date = 2024-05-01\r");
  CHECK(!p.diags.has_errors());
  REQUIRE(p.entries.size() == 3);
  CHECK(p.entries[0].text == "oui");
  CHECK(p.entries[1].text == "a");
  CHECK(p.entries[2].text == "2024-05-01");
  CHECK(p.entries[2].name_at.line == 5);
}

TEST_CASE("the last line needs no line end") {
  const Parsed p = parse("victime.mineur = oui");
  CHECK(!p.diags.has_errors());
  REQUIRE(p.entries.size() == 1);
}

TEST_CASE("an empty file gives no entry and no error") {
  const Parsed p = parse("");
  CHECK(p.entries.empty());
  CHECK(p.diags.all().empty());
}

TEST_CASE("a name without `=` is an error naming it") {
  CHECK(only_error("victime.mineur oui\n") == "1:16: expected `=` after the name `victime.mineur`");
}

TEST_CASE("a missing value is an error") {
  CHECK(only_error("victime.mineur =\n") ==
        "1:17: missing value for `victime.mineur`; write one after `=`, or `?` if it is unknown");
}

TEST_CASE("an uppercase name is an error that says what names look like") {
  CHECK(only_error("Victime.mineur = oui\n") ==
        "1:1: names are lowercase dotted identifiers, like `confident.fonction`");
  CHECK(only_error("victime.Mineur = oui\n") ==
        "1:9: names are lowercase dotted identifiers, like `confident.fonction`");
}

TEST_CASE("garbage on a line is an error that says what a line should be") {
  CHECK(only_error("!!! ???\n") == "1:1: expected `name = value`, a `#` comment or a blank line");
  CHECK(only_error("victime.mineur = @x\n") ==
        "1:18: `@x` is not a value; write a word, a date `YYYY-MM-DD`, a number, a \"string\" or `?`");
}

TEST_CASE("an unterminated string is an error at its opening quote") {
  CHECK(only_error("cas.titre = \"Madame L.\n") == "1:13: unterminated string; close it with `\"`");
}

TEST_CASE("an escape other than \\\" and \\\\ is an error at its backslash") {
  CHECK(only_error("cas.titre = \"a\\nb\"\n") ==
        "1:15: invalid escape `\\n` in a string; only `\\\"` and `\\\\` are allowed");
}

TEST_CASE("a malformed date is an error that shows the expected form") {
  CHECK(only_error("cas.date = 2024-5-1\n") ==
        "1:12: malformed date `2024-5-1`; write `YYYY-MM-DD`, like `2024-05-01`");
}

TEST_CASE("an impossible date has the right shape and is left to the binder") {
  const Parsed p = parse("cas.date = 2019-02-30\n");
  CHECK(!p.diags.has_errors());
  REQUIRE(p.entries.size() == 1);
  CHECK(p.entries[0].kind == CaseValueKind::Date);
}

TEST_CASE("two values on a line are an error at the second") {
  CHECK(only_error("victime.mineur = oui non\n") ==
        "1:22: unexpected `non` after the value of `victime.mineur`; write one `name = value` per line and start "
        "comments with `#`");
}

TEST_CASE("invalid UTF-8 is an error at the offending byte") {
  CHECK(only_error("cas.titre = \"é\xFF\"\n") == "1:15: invalid UTF-8 byte 0xff; save the case file as UTF-8");
  CHECK(only_error("cas.titre = \"\xC3\x28\"\n") == "1:14: invalid UTF-8 byte 0xc3; save the case file as UTF-8");
  CHECK(only_error("# overlong \xC0\xAF\n") == "1:12: invalid UTF-8 byte 0xc0; save the case file as UTF-8");
  CHECK(only_error("# surrogate \xED\xA0\x80\n") == "1:13: invalid UTF-8 byte 0xed; save the case file as UTF-8");
}

TEST_CASE("a NUL byte is an error") {
  CHECK(only_error(std::string("victime.mineur = oui\0\n", 22)) == "1:21: unexpected NUL byte; a case file is text");
}

TEST_CASE("every malformed line is reported, one error each, and the good lines are still read") {
  const Parsed p = parse(
      "victime.mineur = oui\n"
      "Confident.fonction = psychiatre\n"
      "cas.titre = \"sans fin\n"
      "danger.actuel = vrai\n"
      "cas.date 2024-05-01\n"
      "cas.titre = \"a\\tb\"\n"
      "# fine\n"
      "danger.grave_et_imminent =\n"
      "destinataire.qualite = procureur_du_roi\n");
  CHECK(errors(p) == std::vector<std::string>{
                         "2:1: names are lowercase dotted identifiers, like `confident.fonction`",
                         "3:13: unterminated string; close it with `\"`",
                         "5:10: expected `=` after the name `cas.date`",
                         "6:15: invalid escape `\\t` in a string; only `\\\"` and `\\\\` are allowed",
                         "8:27: missing value for `danger.grave_et_imminent`; write one after `=`, or `?` if it is "
                         "unknown",
                     });
  REQUIRE(p.entries.size() == 3);
  CHECK(p.entries[0].name == "victime.mineur");
  CHECK(p.entries[1].name == "danger.actuel");
  CHECK(p.entries[2].name == "destinataire.qualite");
  CHECK(p.entries[2].name_at.line == 9);
}

TEST_CASE("errors render as file:line:col, the source line and a caret") {
  const Parsed p = parse("victime.mineur = oui\ncas.date 2024-05-01\n");
  CHECK(secretc::render_all(p.diags, p.sources) ==
        "case.fact:2:10: error: expected `=` after the name `cas.date`\n"
        "  cas.date 2024-05-01\n"
        "           ^\n");
}

TEST_CASE("a file of nothing but errors stops after the diagnostics' limit, with a note") {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "???\n";
  const Parsed p = parse(text);
  CHECK(p.diags.error_count() == Diagnostics::kMaxKept - 1);
  REQUIRE(!p.diags.all().empty());
  CHECK(p.diags.all().back().severity == secretc::Severity::Note);
  CHECK(p.diags.all().back().message == "too many errors; the rest of the case file was not read");
}

TEST_CASE("a large case file is read whole, line after line") {
  // 2 MB keeps debug and sanitizer builds quick; an optimised build reads 10 MB in about 0.2 s.
  std::string text;
  text.reserve(2u << 20U);
  int i = 0;
  while (text.size() < (2u << 20U)) {
    text += "victime.mineur = oui # line " + std::to_string(i++) + "\n";
  }
  const auto start = std::chrono::steady_clock::now();
  const Parsed p = parse(text);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(!p.diags.has_errors());
  CHECK(p.entries.size() == static_cast<std::size_t>(i));
  CHECK(p.entries.back().name_at.line == static_cast<std::uint32_t>(i));
  CHECK(elapsed < std::chrono::seconds(10));
}

TEST_CASE("a file of one huge bad line gives one error and does not hang") {
  const Parsed p = parse("x = \"" + std::string(1u << 20U, 'a'));
  CHECK(p.diags.error_count() == 1);
  const Parsed q = parse(std::string(1u << 20U, '!'));
  CHECK(q.diags.error_count() == 1);
}

TEST_CASE("a file index that is not in the source set is an error, not an exception") {
  SourceSet sources;
  Diagnostics diags;
  CHECK(secretc::parse_case(sources, 3, diags).empty());
  CHECK(diags.has_errors());
}

namespace {

// Everything a reading gives: each entry (name, kind, text, both locations) and each diagnostic.
std::string reading_of(const std::vector<CaseEntry>& entries, const Diagnostics& diags) {
  std::string out;
  for (const CaseEntry& e : entries) {
    out += e.name + "|" + std::to_string(static_cast<int>(e.kind)) + "|" + e.text + "|" +
           std::to_string(e.name_at.line) + ":" + std::to_string(e.name_at.column) + "|" +
           std::to_string(e.value_at.line) + ":" + std::to_string(e.value_at.column) + "\n";
  }
  for (const Diagnostic& d : diags.all()) {
    out += "diag " + std::to_string(static_cast<int>(d.severity)) + " " + std::to_string(d.where.line) + ":" +
           std::to_string(d.where.column) + " " + d.message + " / " + d.hint + "\n";
  }
  return out;
}

std::string read_with(const std::string& text, secretc::CaseScan scan) {
  SourceSet sources;
  Diagnostics diags;
  const std::uint32_t file = sources.add("case.fact", text);
  const std::vector<CaseEntry> entries = secretc::parse_case(sources, file, diags, scan);
  return reading_of(entries, diags);
}

// The same text through a CaseReader, its views copied back into entries.
std::string read_by_reader(secretc::CaseReader& reader, const std::string& text) {
  Diagnostics diags;
  std::vector<CaseEntry> entries;
  for (const secretc::CaseEntryView& v : reader.read(text, 0, diags)) {
    entries.push_back({std::string(v.name), v.kind, std::string(v.text), v.name_at, v.value_at});
  }
  return reading_of(entries, diags);
}

}  // namespace

TEST_CASE("a plain line read by hand gives exactly what the grammar gives, and any other line is the grammar's") {
  const std::vector<std::string> lines{
      "victime.mineur = oui",
      "a=1",
      "\ta\t=\t1\t# tab",
      "  # only a comment",
      "",
      "   ",
      "cas.date = 2024-05-01",
      "cas.date = 2024-05-01x",
      "cas.date = 2024-5-01",
      "cas.date = 20245-05-01",
      "cas.date = 01/05/2024",
      "n = -3",
      "n = +3",
      "n = -",
      "n = - 3",
      "n = -3-4",
      "n = 12_",
      "n = 12.5",
      "art = 371/1",
      "art = 371/",
      "art = 371/1bis",
      "art = 405ter",
      "art = 405ter2",
      "art = 458/2bis # c",
      "s = \"Madame L.\"",
      "s = \"\"",
      "s = \"with \\\"escape\\\"\"",
      "s = \"unterminated",
      "s = \"a\"b",
      "u = ?",
      "u = ??",
      "u = inconnu",
      "u = inconnue",
      "w = juge-instruction",
      "w = aujourd'hui",
      "w = x-",
      "w = x- y",
      "w = _x",
      "w = Oui",
      "w = m\xC3\xA9"
      "decin",
      "w = oui non",
      "w = oui#c",
      "w = oui #c",
      "A = 1",
      "a.B = 1",
      "aB = 1",
      "a- = 1",
      "a. = 1",
      "a..b = 1",
      "a.1 = 1",
      "a1.b_2 = 1",
      "a 1 = 1",
      "a == 1",
      "a =",
      "a = # nothing",
      "a = =",
      "= 1",
      "a = 1\r",
      "a\r = 1",
      "a = \x7f",
      "a = \x01",
      "\xC3\xA2ge = 3",
      "# caf\xC3\xA9",
  };
  secretc::CaseReader reader;
  for (const std::string& line : lines) {
    for (const std::string& end : {std::string("\n"), std::string("\r\n"), std::string()}) {
      const std::string text = "x.y = 1\n" + line + end + "z = vrai\n";
      CAPTURE(text);
      const std::string grammar = read_with(text, secretc::CaseScan::Grammar);
      CHECK(read_with(text, secretc::CaseScan::Fast) == grammar);
      CHECK(read_by_reader(reader, text) == grammar);
    }
  }
}

TEST_CASE("random lines read by hand and by the grammar agree") {
  // Lines drawn from the characters that matter to the grammar; a fixed seed, so a failure repeats.
  const std::string alphabet = "abz_AZ09.=?\"\\#-+/'\t x\xC3\xA9";
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;
  const auto next = [&] {
    state ^= state << 13U;
    state ^= state >> 7U;
    state ^= state << 17U;
    return state;
  };
  // The bytes around the classes the reader tests sixteen at a time (digits, letters either case, `_`),
  // and controls whose 0x20 bit makes a letter or a digit of them.
  const std::string boundaries = std::string("/:`{@[^~\x7f\x01\x10\x19\x1a\x1f") + '\0';
  const std::vector<std::string> starts{"a = ",
                                        "a.b = ",
                                        "a = 1",
                                        "a = 2024-",
                                        "a = \"",
                                        "",
                                        "a",
                                        "un_nom_plutot_long = ",
                                        "a = une_valeur_plutot_longue"};
  secretc::CaseReader reader;
  for (int i = 0; i < 20000; ++i) {
    std::string line = starts[next() % starts.size()];
    // Short lines, and lines long enough to be read sixteen bytes at a time, followed by another line so
    // that sixteen bytes are left before the text's end.
    const bool long_line = i % 2 == 1;
    const std::size_t len = next() % (long_line ? 40 : 12);
    for (std::size_t k = 0; k < len; ++k) {
      const bool boundary = next() % 8 == 0;
      line += boundary ? boundaries[next() % boundaries.size()] : alphabet[next() % alphabet.size()];
      if (long_line && next() % 3 != 0) line += static_cast<char>('a' + next() % 26);  // runs of word bytes
    }
    const std::string text = line + "\n" + (long_line ? "la_ligne_suivante = une_valeur_assez_longue\n" : "");
    CAPTURE(text);
    const std::string grammar = read_with(text, secretc::CaseScan::Grammar);
    REQUIRE(read_with(text, secretc::CaseScan::Fast) == grammar);
    REQUIRE(read_by_reader(reader, text) == grammar);
  }
}

TEST_CASE("a reader keeps what the grammar read valid next to what it read by hand") {
  secretc::CaseReader reader;
  Diagnostics diags;
  // Enough entries read by the grammar (accents, escapes) for its storage to grow while it reads.
  std::string text;
  for (int i = 0; i < 100; ++i) {
    text += "f" + std::to_string(i) + " = " + (i % 2 == 0 ? "\"d\\\"une longueur qui d\xC3\xA9passe\"" : "oui") + "\n";
  }
  const auto views = reader.read(text, 0, diags);
  CHECK(!diags.has_errors());
  REQUIRE(views.size() == 100);
  CHECK(views[0].text == "d\"une longueur qui d\xC3\xA9passe");
  CHECK(views[98].text == "d\"une longueur qui d\xC3\xA9passe");
  CHECK(views[99].text == "oui");
  CHECK(views[99].name == "f99");
  CHECK(views[99].value_at.line == 100);
  CHECK(views[99].value_at.column == 7);
}

TEST_CASE("a line at the length limit is read by hand as the grammar reads it, its CR counted") {
  for (const std::size_t extra : {std::size_t{0}, std::size_t{1}}) {
    for (const std::string& end : {std::string("\n"), std::string("\r\n"), std::string("\r"), std::string()}) {
      std::string line = "a = 1 #";
      line += std::string(secretc::kMaxLineBytes - line.size() - 1 + extra, 'x');
      const std::string text = line + end + "b = 2\n";
      CAPTURE(extra);
      CAPTURE(end.size());
      CHECK(read_with(text, secretc::CaseScan::Fast) == read_with(text, secretc::CaseScan::Grammar));
    }
  }
}
