#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "compiler/compile.hpp"
#include "compiler/cst.hpp"
#include "compiler/format.hpp"
#include "tests/compiler/support.hpp"

using namespace secretc;
using secretc::testing::read_file;
namespace fs = std::filesystem;

namespace {

// The rule files the formatter must handle: the Belgian rulebase and the test rulebase.
std::vector<fs::path> real_rule_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(fs::path(SECRETC_SOURCE_DIR) / "stdlib-rules")) {
    if (e.path().extension() == ".rules") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  out.push_back(fs::path(SECRETC_SOURCE_DIR) / "tests/data/mini/rulebase.rules");
  return out;
}

// Comments as a reader sees them, found without the formatter's lexer: `#` outside strings, to the
// end of the line, trailing blanks removed; sorted, since a clause may move with its comments.
std::vector<std::string> comments_in(const std::string& text) {
  std::vector<std::string> out;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '#') {
      std::size_t end = text.find('\n', i);
      if (end == std::string::npos) end = text.size();
      std::string comment = text.substr(i, end - i);
      while (!comment.empty() && (comment.back() == ' ' || comment.back() == '\r')) comment.pop_back();
      out.push_back(comment);
      i = end;
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string program_of(const std::vector<std::pair<std::string, std::string>>& files) {
  Compilation c = compile_texts(files);
  REQUIRE_MESSAGE(c.program.has_value(), render_all(c.diags, c.sources));
  return layout_independent_bytes(std::move(*c.program));
}

std::string formatted(const std::string& text, const std::string& name = "t.rules") {
  const FormatResult r = format_rules(name, text);
  INFO(r.problem, render_all(r.diags, r.sources));
  REQUIRE(r.status == FormatStatus::Ok);
  return r.text;
}

// The layout of `text`, checked to be a fixed point.
std::string fmt_of(const std::string& text) {
  const std::string once = formatted(text);
  CHECK(formatted(once) == once);
  return once;
}

const char* kPrelude = R"(base "t" version "1"
énumération fonction { medecin, psychologue, autre }
fait confident.fonction : fonction
fait a : booléen
fait b : booléen
fait c : booléen
sortie verdict : énumération { garder, reveler } = garder
sortie conditions : ensemble de énumération { x, y, z }
)";

// The canonical layout of the prelude followed by `rules`, without the prelude.
std::string layout_after_prelude(const std::string& rules) {
  const std::string prelude = fmt_of(kPrelude);
  const std::string all = fmt_of(std::string(kPrelude) + "\n" + rules);
  REQUIRE(all.substr(0, prelude.size()) == prelude);
  std::string rest = all.substr(prelude.size());
  if (!rest.empty() && rest.front() == '\n') rest.erase(0, 1);
  return rest;
}

}  // namespace

// --- the real rulebases ------------------------------------------------------------------------------

TEST_CASE("every file of the Belgian rulebase and the test rulebase formats to a fixed point, comments kept") {
  for (const fs::path& p : real_rule_files()) {
    CAPTURE(p.string());
    const std::string original = read_file(p);
    const std::string once = formatted(original, p.string());
    CHECK(formatted(once, p.string()) == once);
    CHECK(comments_in(once) == comments_in(original));
    CHECK(once.back() == '\n');
    CHECK(once.find("\n\n\n") == std::string::npos);
    CHECK(once.find(" \n") == std::string::npos);
  }
}

TEST_CASE("the formatted Belgian rulebase compiles to the same program") {
  std::vector<std::pair<std::string, std::string>> before, after;
  for (const fs::path& p : real_rule_files()) {
    if (p.parent_path().filename() != "stdlib-rules") continue;
    const std::string text = read_file(p);
    before.emplace_back(p.string(), text);
    after.emplace_back(p.string(), formatted(text, p.string()));
  }
  REQUIRE(before.size() > 10);
  CHECK(program_of(before) == program_of(after));
}

TEST_CASE("the formatted test rulebase compiles to the same program") {
  const fs::path p = real_rule_files().back();
  const std::string text = read_file(p);
  CHECK(program_of({{"mini.rules", text}}) == program_of({{"mini.rules", formatted(text)}}));
}

// --- comments ----------------------------------------------------------------------------------------

// Inserts `what` after each token of `text` in turn: every variant must format, to a fixed point (the
// formatter checks that itself), and keep every comment.
void check_comment_after_every_token(const std::string& text, const std::string& what) {
  const auto tokens = cst::parse_rules_cst(text).tokens;
  REQUIRE(!tokens.empty());
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    const std::string comment = fmt::format("# c{}", k);
    std::string variant = text;
    variant.insert(tokens[k].end, fmt::format(fmt::runtime(what), comment));
    const FormatResult r = format_rules("t.rules", variant);
    CAPTURE(k);
    CAPTURE(tokens[k].text);
    CAPTURE(tokens[k].line);
    REQUIRE_MESSAGE(r.status == FormatStatus::Ok, r.problem);
    CHECK(comments_in(r.text) == comments_in(variant));
  }
}

TEST_CASE("a comment after any token, at the end of its line or on a line of its own, is kept") {
  const std::string mini = read_file(real_rule_files().back());
  check_comment_after_every_token(mini, "  {}\n");
  check_comment_after_every_token(mini, "\n{}\n");
  check_comment_after_every_token(mini, "\n    {}\n");
  const std::string sanctions = read_file(fs::path(SECRETC_SOURCE_DIR) / "stdlib-rules/14_sanctions.rules");
  check_comment_after_every_token(sanctions, " {}\n");
  check_comment_after_every_token(sanctions, "\n{}\n");
}

TEST_CASE("own-line comments stay before their declaration or clause, and trailing comments line up") {
  const std::string in = R"(# the file

# about the fact
fait confident.fonction : fonction # who
fait a : booléen   # first
fait b : booléen # second

# about the rule
règle r
  # about the condition
  quand a  # the condition
  alors verdict = reveler
  # a note about r, at the end of it
énumération fonction { medecin, psychologue, autre }
# trailer
)";
  const std::string expected = R"(# the file

# about the fact
fait confident.fonction : fonction  # who
fait a : booléen                    # first
fait b : booléen                    # second

# about the rule
règle r
  # about the condition
  quand a  # the condition
  alors verdict = reveler
  # a note about r, at the end of it

énumération fonction { medecin, psychologue, autre }
# trailer
)";
  CHECK(fmt_of(in) == expected);
}

TEST_CASE("a comment continuing a trailing comment stays under it") {
  const std::string in = R"(énumération condition {
  strictement_necessaire,   # only what is needed,
                            # and nothing more
  informer,                 # tell the person
}
)";
  const std::string expected = R"(énumération condition {
  strictement_necessaire,  # only what is needed,
                           # and nothing more
  informer                 # tell the person
}
)";
  CHECK(fmt_of(in) == expected);
}

TEST_CASE("comments inside a condition force its line breaks and keep their place") {
  const std::string out = layout_after_prelude(R"(règle r quand a # first
  et (b ou # inner
  c) alors verdict = reveler
)");
  CHECK(out == R"(règle r
  quand a  # first
    et (b
      ou  # inner
      c)
  alors verdict = reveler
)");
}

// --- layout ------------------------------------------------------------------------------------------

TEST_CASE("the layout does not depend on how the source was spaced") {
  std::string text = read_file(real_rule_files().back());
  // Without comments, any spacing of the same tokens gives the same layout.
  std::string no_comments;
  for (const auto& t : cst::parse_rules_cst(text).tokens) no_comments += t.text + "\n";
  std::string one_line;
  for (const auto& t : cst::parse_rules_cst(text).tokens) one_line += t.text + " ";
  CHECK(fmt_of(no_comments) == fmt_of(one_line));
}

TEST_CASE("declarations start at column 0, rules and tests stand apart, other groupings are kept") {
  const std::string in =
      "   fait a : booléen\nfait b : booléen\n\n\n\nfait c : booléen\nrègle r alors verdict = reveler\n"
      "règle s alors verdict = garder\ntest \"t\" { attendu verdict = garder }\nfait d : booléen\n";
  CHECK(fmt_of(in) == R"(fait a : booléen
fait b : booléen

fait c : booléen

règle r
  alors verdict = reveler

règle s
  alors verdict = garder

test "t" {
  attendu verdict = garder
}

fait d : booléen
)");
}

TEST_CASE("a rule's clauses go one per line, in a fixed order, the title on the header line") {
  const std::string out = layout_after_prelude(
      "règle r \"R\" note \"n\" parce que \"p\" alors verdict = reveler quand a prime sur s\n"
      "  valable du 2017-01-01 au 2019-01-01 \"raison\" cite \"art. 1\"\n"
      "règle s alors verdict = garder\n");
  CHECK(out == R"(règle r "R"
  cite "art. 1"
  valable du 2017-01-01 au 2019-01-01 "raison"
  prime sur s
  quand a
  alors verdict = reveler
  parce que "p"
  note "n"

règle s
  alors verdict = garder
)");
}

TEST_CASE("a long condition breaks before each `et`, nested ones further in") {
  const std::string out = layout_after_prelude(
      "règle r quand confident.fonction == medecin et a et (b ou c ou confident.fonction dans { psychologue, autre }) "
      "et non c alors verdict = reveler\n");
  CHECK(out == R"(règle r
  quand confident.fonction == medecin
    et a
    et (b ou c ou confident.fonction dans { psychologue, autre })
    et non c
  alors verdict = reveler
)");
  const std::string deeper = layout_after_prelude(
      "règle r quand a et (b ou confident.fonction == medecin et c ou confident.fonction dans { psychologue, autre } "
      "et confident.fonction != medecin) alors verdict = reveler\n");
  CHECK(deeper == R"(règle r
  quand a
    et (b
      ou confident.fonction == medecin et c
      ou confident.fonction dans { psychologue, autre } et confident.fonction != medecin)
  alors verdict = reveler
)");
}

TEST_CASE("a long definition goes to the next line, its operators under its first operand") {
  const std::string out = layout_after_prelude(
      "définition court = a et b\n"
      "définition moyenne = confident.fonction dans { medecin, psychologue } et a et b et c et non a ou non b\n"
      "définition longue = confident.fonction dans { medecin, psychologue } et a et b et c et non a et non b et non c "
      "ou non b ou c\n");
  CHECK(out == R"(définition court = a et b
définition moyenne =
  confident.fonction dans { medecin, psychologue } et a et b et c et non a ou non b
définition longue =
  confident.fonction dans { medecin, psychologue } et a et b et c et non a et non b et non c
  ou non b
  ou c
)");
}

TEST_CASE("several effects go one per line under the first, and a long set wraps in its braces") {
  const std::string out = layout_after_prelude(
      "règle r alors verdict = reveler, conditions += { x, y }\n"
      "règle s alors conditions += { x, y, z, x, y, z, x, y, z, x, y, z, x, y, z, x, y, z, x, y, z, x, y, z, x, y, z, "
      "x, y, z, x, y, z, x, y, z, x, y }\n");
  CHECK(out == R"(règle r
  alors verdict = reveler,
        conditions += { x, y }

règle s
  alors conditions += {
    x, y, z, x, y, z, x, y, z, x, y, z, x, y, z, x, y, z, x, y, z, x, y, z, x, y, z, x, y, z, x, y,
    z, x, y, z, x, y
  }
)");
}

TEST_CASE("an enumeration is on one line when short, else on filled lines, or one labelled member per line") {
  const std::string members =
      "medecin_generaliste, chirurgien_dentiste, officier_de_sante, pharmacien_hospitalier, "
      "sage_femme, infirmier, psychologue, autre";
  const std::string out =
      fmt_of("énumération courte { a, b, }\nénumération longue { " + members +
             " }\n"
             "énumération libelles { a \"A\", b }\n"
             "énumération longs_libelles { a_long_member_name \"A label so long that it cannot stay "
             "on the line of its member at all, not even close\", b }\n");
  CHECK(out == R"(énumération courte { a, b }
énumération longue {
  medecin_generaliste, chirurgien_dentiste, officier_de_sante, pharmacien_hospitalier, sage_femme,
  infirmier, psychologue, autre
}
énumération libelles { a "A", b }
énumération longs_libelles {
  a_long_member_name
    "A label so long that it cannot stay on the line of its member at all, not even close",
  b
}
)");
}

TEST_CASE("set literals wrap inside their braces") {
  const std::string out = fmt_of(
      "définition articles = { 371/1 .. 377, 377quater, 379, 380, 383bis, 392 .. 394, 396 .. 405ter, 409, 423, 425, "
      "426, 433quinquies }\ndéfinition vide = { }\n");
  CHECK(out == R"(définition articles = {
  371/1 .. 377, 377quater, 379, 380, 383bis, 392 .. 394, 396 .. 405ter, 409, 423, 425, 426,
  433quinquies
}
définition vide = { }
)");
}

TEST_CASE("a fact's question goes to the next line when the line would be too long") {
  const std::string out = fmt_of(
      "fait a : booléen = faux \"Court ?\"\n"
      "fait b : booléen \"Une question bien plus longue, qui ne tient pas sur la ligne de son fait ; il faut la "
      "couper\"\n");
  CHECK(out == R"(fait a : booléen = faux "Court ?"
fait b : booléen
  "Une question bien plus longue, qui ne tient pas sur la ligne de son fait ; il faut la couper"
)");
}

TEST_CASE("tests: one clause per line, long lists continuing under their first item") {
  const std::string out = layout_after_prelude(
      "test \"t\" { soit a = vrai, b = faux soit c = ?, confident.fonction = psychologue, cas.titre = \"un titre assez "
      "long\", "
      "cas.date = 2024-05-01 attendu verdict = garder, conditions = { }, non appliquée r attendu conditions contient { "
      "x }, "
      "verdict inconnue, manquant a }\n");
  CHECK(out == R"(test "t" {
  soit a = vrai, b = faux
  soit c = ?, confident.fonction = psychologue, cas.titre = "un titre assez long",
       cas.date = 2024-05-01
  attendu verdict = garder, conditions = { }, non appliquée r
  attendu conditions contient { x }, verdict inconnue, manquant a
}
)");
}

TEST_CASE("strings are kept byte for byte, even over several lines") {
  const std::string in =
      "règle r \"R\"\n  parce que \"une explication\n      sur deux lignes, avec \\\"guillemets\\\"\"\n"
      "  alors verdict = reveler\n";
  const std::string out = layout_after_prelude(in);
  CHECK(out ==
        "règle r \"R\"\n  alors verdict = reveler\n  parce que \"une explication\n      sur deux lignes, avec "
        "\\\"guillemets\\\"\"\n");
}

TEST_CASE("keywords keep their language, and optional accents and spellings take their usual form") {
  const std::string fr = fmt_of(
      "enumeration e { x }\nfait d : date = aujourdhui\nfait b : booleen\ndefinition v = b = vrai\n"
      "sortie s : e\nregle r valable a partir du 2020-01-01 quand d est inconnu alors s = x\n"
      "regle q valable jusqu’au 2020-01-01 alors s = x\n"
      "test \"t\" { attendu appliquee r, non appliquee q, s inconnu }\n");
  CHECK(fr == R"(énumération e { x }
fait d : date = aujourd'hui
fait b : booléen
définition v = b == vrai
sortie s : e

règle r
  valable à partir du 2020-01-01
  quand d est inconnu
  alors s = x

règle q
  valable jusqu'au 2020-01-01
  alors s = x

test "t" {
  attendu appliquée r, non appliquée q, s inconnue
}
)");
  const std::string en = fmt_of(
      "enum e { x }\nfact d : date = today\noutput s : set of e\n"
      "rule r valid from 2020-01-01 until 2021-01-01 when d is known and not d < 2020-02-01 overrides q then s += x\n"
      "rule q valid until 2020-01-01 then s += { x }\n");
  CHECK(en == R"(enum e { x }
fact d : date = today
output s : set of e

rule r
  valid from 2020-01-01 until 2021-01-01
  overrides q
  when d is known and not d < 2020-02-01
  then s += x

rule q
  valid until 2020-01-01
  then s += { x }
)");
}

TEST_CASE("line ends and byte-order marks of the source do not survive, the program does") {
  const std::string crlf =
      "\xEF\xBB\xBF# c\r\nfait a : booléen\r\nsortie s : énumération { x, y }\r\n"
      "règle r\r\n  quand a\r\n  alors s = x\r\n";
  const std::string out = fmt_of(crlf);
  CHECK(out == "# c\nfait a : booléen\nsortie s : énumération { x, y }\n\nrègle r\n  quand a\n  alors s = x\n");
  CHECK(program_of({{"t.rules", crlf}}) == program_of({{"t.rules", out}}));
}

TEST_CASE("an empty file, or one of comments only, formats too") {
  CHECK(fmt_of("") == "");
  CHECK(fmt_of("\n\n") == "");
  CHECK(fmt_of("# only\n\n\n# comments") == "# only\n\n# comments\n");
}

TEST_CASE("a file with syntax errors is not formatted: its errors are reported as the compiler does") {
  const FormatResult r = format_rules("bad.rules", "fait a : booléen\nrègle r quand a alors\n");
  CHECK(r.status == FormatStatus::InvalidSource);
  const std::string errors = render_all(r.diags, r.sources);
  CHECK(errors.find("bad.rules:") != std::string::npos);
  CHECK(errors.find("error:") != std::string::npos);
  const Compilation c = compile_texts({{"bad.rules", "fait a : booléen\nrègle r quand a alors\n"}});
  CHECK(render_all(c.diags, c.sources) == errors);

  const FormatResult mixed = format_rules("mixed.rules", "fait a : bool\n");
  CHECK(mixed.status == FormatStatus::InvalidSource);
}

// --- answers under uncertainty: `à jour au`, `dans le doute`, `pourvu que`, `avertissement`, and the
// expectations `possible`, `sous réserve`, `dépend de` ----------------------------------------------

namespace {

// Every new construct, in each language, written out of the canonical layout and with the optional
// spellings; each file compiles on its own and its tests pass.
const char* kUncertainFr = R"(base "t" version "1" a jour au 2024-01-01
énumération fonction { medecin, psychologue, autre }
fait confident.fonction : fonction
fait a : booléen
fait b : booléen
fait c : booléen
fait cas.date : date
sortie verdict : énumération { garder, reveler, devoir } = garder dans le doute garder, reveler
sortie obligation : énumération { secret, aucune } dans le doute secret
sortie conditions : ensemble de énumération { x, y, z }
avertissement reforme "Réforme" note "n" parce que "p" quand a valable à partir du 2022-06-01 cite "c"
règle r "R" alors verdict = reveler pourvu que b "b est acquis" quand a pourvu que c et non b ou c cite "art"
règle s prime sur r quand confident.fonction == medecin alors verdict = devoir, obligation = secret
test "t" { soit a = vrai, b = ?, c = vrai, cas.date = 2024-01-01
  attendu verdict = reveler, sous reserve r attendu appliquée r }
test "u" { soit a = ?, b = vrai, c = vrai, cas.date = 2024-01-01
  attendu verdict possible { garder, reveler }, depend de a, obligation inconnue }
)";

const char* kUncertainFrLayout = R"(base "t" version "1" à jour au 2024-01-01
énumération fonction { medecin, psychologue, autre }
fait confident.fonction : fonction
fait a : booléen
fait b : booléen
fait c : booléen
fait cas.date : date
sortie verdict : énumération { garder, reveler, devoir } = garder dans le doute garder, reveler
sortie obligation : énumération { secret, aucune } dans le doute secret
sortie conditions : ensemble de énumération { x, y, z }

avertissement reforme "Réforme"
  cite "c"
  valable à partir du 2022-06-01
  quand a
  parce que "p"
  note "n"

règle r "R"
  cite "art"
  quand a
  pourvu que b "b est acquis"
  pourvu que c et non b ou c
  alors verdict = reveler

règle s
  prime sur r
  quand confident.fonction == medecin
  alors verdict = devoir,
        obligation = secret

test "t" {
  soit a = vrai, b = ?, c = vrai, cas.date = 2024-01-01
  attendu verdict = reveler, sous réserve r
  attendu appliquée r
}

test "u" {
  soit a = ?, b = vrai, c = vrai, cas.date = 2024-01-01
  attendu verdict possible { garder, reveler }, dépend de a, obligation inconnue
}
)";

const char* kUncertainEn = R"(rulebase "t" version "1" as of 2024-01-01
enum role { doctor, psychologist, other }
fact who.role : role
fact a : bool
fact b : bool
fact c : bool
fact cas.date : date
output verdict : enum { keep, may_tell, must_tell } = keep in doubt keep, may_tell
output duty : enum { secrecy, none } in doubt secrecy
output limits : set of enum { x, y, z }
warning reform "Reform" note "n" because "p" when a valid from 2022-06-01 cite "c"
rule r "R" then verdict = may_tell provided b "b holds" when a provided c and not b or c cite "art"
rule s overrides r when who.role == doctor then verdict = must_tell, duty = secrecy
test "t" { given a = true, b = ?, c = true, cas.date = 2024-01-01
  expect verdict = may_tell, provided r expect fired r }
test "u" { given a = ?, b = true, c = true, cas.date = 2024-01-01
  expect verdict possible { keep, may_tell }, depends on a, duty unknown }
)";

const char* kUncertainEnLayout = R"(rulebase "t" version "1" as of 2024-01-01
enum role { doctor, psychologist, other }
fact who.role : role
fact a : bool
fact b : bool
fact c : bool
fact cas.date : date
output verdict : enum { keep, may_tell, must_tell } = keep in doubt keep, may_tell
output duty : enum { secrecy, none } in doubt secrecy
output limits : set of enum { x, y, z }

warning reform "Reform"
  cite "c"
  valid from 2022-06-01
  when a
  because "p"
  note "n"

rule r "R"
  cite "art"
  when a
  provided b "b holds"
  provided c and not b or c
  then verdict = may_tell

rule s
  overrides r
  when who.role == doctor
  then verdict = must_tell,
       duty = secrecy

test "t" {
  given a = true, b = ?, c = true, cas.date = 2024-01-01
  expect verdict = may_tell, provided r
  expect fired r
}

test "u" {
  given a = ?, b = true, c = true, cas.date = 2024-01-01
  expect verdict possible { keep, may_tell }, depends on a, duty unknown
}
)";

// Like check_comment_after_every_token, and each variant also compiles to the program the text
// without the comment compiles to.
void check_comment_after_every_token_same_program(const std::string& text, const std::string& what) {
  const std::string expected = program_of({{"t.rules", text}});
  const auto tokens = cst::parse_rules_cst(text).tokens;
  REQUIRE(!tokens.empty());
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    std::string variant = text;
    variant.insert(tokens[k].end, fmt::format(fmt::runtime(what), fmt::format("# c{}", k)));
    const FormatResult r = format_rules("t.rules", variant);
    CAPTURE(k);
    CAPTURE(tokens[k].text);
    CAPTURE(tokens[k].line);
    REQUIRE_MESSAGE(r.status == FormatStatus::Ok, r.problem);
    CHECK(comments_in(r.text) == comments_in(variant));
    CHECK(program_of({{"t.rules", r.text}}) == expected);
  }
}

}  // namespace

TEST_CASE("the new constructs take the canonical layout, in French and in English, and keep the program") {
  for (const auto& [in, layout] :
       {std::pair{kUncertainFr, kUncertainFrLayout}, std::pair{kUncertainEn, kUncertainEnLayout}}) {
    const std::string out = fmt_of(in);
    CHECK(out == layout);
    CHECK(fmt_of(layout) == layout);
    CHECK(program_of({{"t.rules", in}}) == program_of({{"t.rules", out}}));
  }
}

TEST_CASE("a comment before or after every word of the new constructs is kept, and the program with it") {
  for (const char* text : {kUncertainFr, kUncertainEn}) {
    // Formatted first, so that the comments land in the canonical layout as well as in the raw one.
    for (const std::string& base : {std::string(text), formatted(text)}) {
      check_comment_after_every_token_same_program(base, "  {}\n");
      check_comment_after_every_token_same_program(base, "\n{}\n");
      check_comment_after_every_token_same_program(base, "\n    {}\n");
    }
  }
}

TEST_CASE("`à jour au` stays on the header's line when it fits, else goes to the next, indented by two") {
  CHECK(fmt_of("base \"t\" version \"1\"\n   a  jour\n au 2024-01-01\n") ==
        "base \"t\" version \"1\" à jour au 2024-01-01\n");
  CHECK(fmt_of("rulebase \"t\" version \"1\" as\nof 2024-01-01\n") ==
        "rulebase \"t\" version \"1\" as of 2024-01-01\n");
  const std::string name = "Secret professionnel — droit belge, dans une base au nom particulièrement long";
  CHECK(fmt_of("base \"" + name + "\" version \"2026.1\" à jour au 2024-01-01\n") ==
        "base \"" + name + "\" version \"2026.1\"\n  à jour au 2024-01-01\n");
  // A header without a date is laid out as it was before the date existed: on one line.
  CHECK(fmt_of("base \"" + name + "\" version \"2026.1.1\"\n") == "base \"" + name + "\" version \"2026.1.1\"\n");
  // A comment ends its line: the date goes to the next one.
  CHECK(fmt_of("base \"t\" version \"1\" # the version\nà jour au 2024-01-01\n") ==
        "base \"t\" version \"1\"  # the version\n  à jour au 2024-01-01\n");
  CHECK(fmt_of("base \"t\" version \"1\"\n# checked against the law on\nà jour au 2024-01-01 # that day\n") ==
        "base \"t\" version \"1\"\n  # checked against the law on\n  à jour au 2024-01-01  # that day\n");
}

TEST_CASE("`dans le doute` stays on the output's line when it fits, else goes to the next, indented by two") {
  CHECK(fmt_of("sortie s : énumération { a, b } = a\n  dans  le\ndoute a , b\n") ==
        "sortie s : énumération { a, b } = a dans le doute a, b\n");
  CHECK(fmt_of("output s : enum { a, b } in\n doubt b,a\n") == "output s : enum { a, b } in doubt b, a\n");
  CHECK(fmt_of("sortie verdict : énumération { garder_le_secret, peut_reveler, doit_reveler } = garder_le_secret "
               "dans le doute garder_le_secret, peut_reveler\n") ==
        R"(sortie verdict : énumération { garder_le_secret, peut_reveler, doit_reveler } = garder_le_secret
  dans le doute garder_le_secret, peut_reveler
)");
  // A list that does not fit continues under its first member; a broken enumeration puts the list on
  // a line of its own too.
  CHECK(fmt_of("sortie s : énumération { premier_membre_assez_long, deuxieme_membre_assez_long, "
               "troisieme_membre_assez_long, quatrieme_membre } dans le doute premier_membre_assez_long, "
               "deuxieme_membre_assez_long, troisieme_membre_assez_long, quatrieme_membre\n") ==
        R"(sortie s : énumération {
  premier_membre_assez_long, deuxieme_membre_assez_long, troisieme_membre_assez_long,
  quatrieme_membre
}
  dans le doute premier_membre_assez_long, deuxieme_membre_assez_long, troisieme_membre_assez_long,
                quatrieme_membre
)");
  CHECK(fmt_of("sortie s : énumération { a, b } = a # the default\n dans le doute a, # first\n b\n") ==
        R"(sortie s : énumération { a, b } = a  # the default
  dans le doute a,                   # first
                b
)");
}

TEST_CASE("`pourvu que` comes right after `quand`, provisos in their order, the text after the condition") {
  const std::string out = layout_after_prelude(
      "règle r alors verdict = reveler pourvu que c \"trois\" note \"n\" pourvu que b \"deux\" quand a pourvu que a\n"
      "règle s pourvu que confident.fonction == medecin et a \"un texte qui ne tient plus sur la ligne de sa "
      "condition, même courte\" alors verdict = reveler\n"
      "règle t pourvu que confident.fonction dans { medecin, psychologue } et a et b et c et non a et non b et non c "
      "et (a ou b) \"texte\" alors verdict = reveler\n");
  CHECK(out == R"(règle r
  quand a
  pourvu que c "trois"
  pourvu que b "deux"
  pourvu que a
  alors verdict = reveler
  note "n"

règle s
  pourvu que confident.fonction == medecin et a
    "un texte qui ne tient plus sur la ligne de sa condition, même courte"
  alors verdict = reveler

règle t
  pourvu que confident.fonction dans { medecin, psychologue }
    et a
    et b
    et c
    et non a
    et non b
    et non c
    et (a ou b)
    "texte"
  alors verdict = reveler
)");
  // A comment after the condition ends its line: the text goes to the next.
  CHECK(layout_after_prelude("règle r quand a pourvu que b # why\n \"texte\" alors verdict = reveler\n") ==
        R"(règle r
  quand a
  pourvu que b  # why
    "texte"
  alors verdict = reveler
)");
  CHECK(layout_after_prelude("règle r pourvu\n # before que\n que b alors verdict = reveler\n") ==
        R"(règle r
  # before que
  pourvu que b
  alors verdict = reveler
)");
}

TEST_CASE("a warning is laid out like a rule, and stands apart like one") {
  const std::string out = layout_after_prelude(
      "avertissement w \"W\" note \"n\" parce que \"p\" quand a et b valable du 2020-01-01 au 2021-01-01 "
      "cite \"art\"\n"
      "avertissement v quand c\n"
      "fait d : booléen\n");
  CHECK(out == R"(avertissement w "W"
  cite "art"
  valable du 2020-01-01 au 2021-01-01
  quand a et b
  parce que "p"
  note "n"

avertissement v
  quand c

fait d : booléen
)");
  CHECK(fmt_of("fact a : bool\nwarning w \"W\" when a because \"p\"\n  # the end of w\nfact b : bool\n") ==
        R"(fact a : bool

warning w "W"
  when a
  because "p"
  # the end of w

fact b : bool
)");
}

TEST_CASE("the new expectations keep their language, their accents restored") {
  const std::string out = layout_after_prelude(
      "test \"t\" { attendu verdict possible {garder,reveler,}, sous reserve r, depend de a attendu sous réserve s, "
      "dépend de b, conditions possible { } }\n");
  CHECK(out == R"(test "t" {
  attendu verdict possible { garder, reveler }, sous réserve r, dépend de a
  attendu sous réserve s, dépend de b, conditions possible { }
}
)");
  CHECK(fmt_of("test \"t\" { expect verdict possible {a}, provided r, depends\n on a }\n") ==
        R"(test "t" {
  expect verdict possible { a }, provided r, depends on a
}
)");
  // `sous` and `depend` are not reserved: an output may bear those names.
  CHECK(fmt_of("test \"t\" { attendu sous = a, depend inconnu, sous possible { a } }\n") ==
        R"(test "t" {
  attendu sous = a, depend inconnue, sous possible { a }
}
)");
}

TEST_CASE("synonyms follow their member, one space around `|`, before the label, the program stays the same") {
  const std::string text =
      "base \"x\" version \"1\"\n"
      "enumeration f { medecin|docteur \"Médecin\" , assistant_social |assistante_sociale| "
      "travailleur_social, # un commentaire\n autre }\n";
  const std::string once = formatted(text);
  CHECK(once.find("  medecin | docteur \"Médecin\",\n") != std::string::npos);
  CHECK(once.find("  assistant_social | assistante_sociale | travailleur_social,  # un commentaire\n") !=
        std::string::npos);
  CHECK(formatted(once) == once);
  CHECK(program_of({{"t.rules", text}}) == program_of({{"t.rules", once}}));
}
