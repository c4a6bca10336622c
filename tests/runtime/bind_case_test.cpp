// Binding case entries to a program's facts: names, types, members, duplicates, defaults and strings.
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "compiler/parse_case.hpp"
#include "runtime/case.hpp"

namespace {

using secretc::BoundCase;
using secretc::CaseEntry;
using secretc::CaseValueKind;
using secretc::DefaultKind;
using secretc::Diagnostic;
using secretc::Diagnostics;
using secretc::Program;
using secretc::Severity;
using secretc::Type;
using secretc::TypeKind;
using secretc::Value;

// Fact indices of the program below.
enum Fact : std::uint32_t {
  kMineur,
  kFonction,
  kQualite,
  kDate,
  kPersonnes,
  kTitre,
  kArticle,
  kBenevole,
  kVulnerable,
  kPosition,
};

const std::int64_t kToday = *secretc::parse_date("2025-01-15");

secretc::EnumInfo enumeration(std::string name, std::vector<std::string> members) {
  secretc::EnumInfo e;
  e.name = std::move(name);
  e.members = std::move(members);
  return e;
}

Program make_program() {
  Program p;
  p.name = "test";
  p.enums.push_back(enumeration("fonction", {"medecin", "psychiatre", "psychologue", "assistant_social", "autre"}));
  p.enums.push_back(enumeration(
      "qualite", {"juge_instruction", "tribunal", "cour", "juge_de_paix", "juge_famille", "juge_jeunesse",
                  "procureur_du_roi", "police", "collegue", "hierarchie", "famille", "presse", "public", "autre"}));
  p.enums.push_back(enumeration("position", {"aucune", "plaignant", "suspect"}));
  p.strings = {"375", "Madame L."};
  const auto fact = [&](std::string name, Type t, DefaultKind kind = DefaultKind::None, Value v = {}) {
    p.facts.push_back({std::move(name), t, kind, v, ""});
    p.slot_types.push_back(t);
  };
  fact("victime.mineur", {TypeKind::Bool, 0});
  fact("confident.fonction", {TypeKind::Enum, 0});
  fact("destinataire.qualite", {TypeKind::Enum, 1});
  fact("cas.date", {TypeKind::Date, 0}, DefaultKind::Today);
  fact("personnes", {TypeKind::Integer, 0});
  fact("cas.titre", {TypeKind::String, 0});
  fact("infraction.article", {TypeKind::Article, 0});
  fact("confident.benevole", {TypeKind::Bool, 0}, DefaultKind::Constant, Value::of(0));
  fact("victime.vulnerable", {TypeKind::Bool, 0});
  fact("confident.position", {TypeKind::Enum, 2}, DefaultKind::Constant, Value::of(0));
  return p;
}

// An entry as the parser would give it, on its own line: the name at column 1, the value at column 20.
CaseEntry entry(std::string name, CaseValueKind kind, std::string text, std::uint32_t line = 1) {
  CaseEntry e;
  e.name = std::move(name);
  e.kind = kind;
  e.text = std::move(text);
  e.name_at = {0, line, 1};
  e.value_at = {0, line, 20};
  return e;
}

CaseEntry word(std::string name, std::string text, std::uint32_t line = 1) {
  return entry(std::move(name), CaseValueKind::Word, std::move(text), line);
}

struct Bound {
  Program program = make_program();
  Diagnostics diags;
  BoundCase bound;
};

Bound bind(const std::vector<CaseEntry>& entries) {
  Bound b;
  b.bound = secretc::bind_case(b.program, entries, kToday, b.diags);
  return b;
}

// The single diagnostic of a binding, which must be an error.
Diagnostic only_error(const std::vector<CaseEntry>& entries) {
  const Bound b = bind(entries);
  REQUIRE(b.diags.all().size() == 1);
  REQUIRE(b.diags.all().front().severity == Severity::Error);
  return b.diags.all().front();
}

}  // namespace

TEST_CASE("the six boolean words bind to true and false") {
  for (const char* yes : {"true", "oui", "vrai"}) {
    const Bound b = bind({word("victime.mineur", yes)});
    CHECK(!b.diags.has_errors());
    CHECK(b.bound.facts[kMineur] == Value::of(1));
  }
  for (const char* no : {"false", "non", "faux"}) {
    const Bound b = bind({word("victime.mineur", no)});
    CHECK(!b.diags.has_errors());
    CHECK(b.bound.facts[kMineur] == Value::of(0));
  }
}

TEST_CASE("each kind of value binds to a fact of its type") {
  const Bound b = bind({
      word("confident.fonction", "psychiatre", 1),
      entry("cas.date", CaseValueKind::Date, "2024-05-01", 2),
      entry("personnes", CaseValueKind::Integer, "-3", 3),
      entry("cas.titre", CaseValueKind::String, "Madame L.", 4),
      entry("infraction.article", CaseValueKind::Article, "371/1", 5),
      word("destinataire.qualite", "procureur_du_roi", 6),
  });
  CHECK(b.diags.all().empty());
  CHECK(b.bound.facts[kFonction] == Value::of(1));
  CHECK(b.bound.facts[kDate] == Value::of(*secretc::parse_date("2024-05-01")));
  CHECK(b.bound.facts[kPersonnes] == Value::of(-3));
  CHECK(b.bound.facts[kTitre] == Value::of(1));  // the program's own constant
  CHECK(b.bound.facts[kArticle] == Value::of(*secretc::parse_article("371/1")));
  CHECK(b.bound.facts[kQualite] == Value::of(6));
  CHECK(b.bound.given[kFonction]);
  CHECK(b.bound.given[kQualite]);
  CHECK(!b.bound.given[kMineur]);
}

TEST_CASE("an article may be written as a string, an integer or an article token") {
  const auto article_of = [](CaseValueKind kind, const char* text) {
    const Bound b = bind({entry("infraction.article", kind, text)});
    CHECK(!b.diags.has_errors());
    return b.bound.facts[kArticle];
  };
  CHECK(article_of(CaseValueKind::String, "405ter") == Value::of(*secretc::parse_article("405ter")));
  CHECK(article_of(CaseValueKind::Integer, "398") == Value::of(*secretc::parse_article("398")));
  CHECK(article_of(CaseValueKind::Article, "433quinquies") == Value::of(*secretc::parse_article("433quinquies")));
}

TEST_CASE("an unknown fact is an error with the closest name as a suggestion") {
  const Diagnostic d = only_error({word("confident.fontion", "psychiatre")});
  CHECK(d.message == "unknown fact `confident.fontion`");
  CHECK(d.hint == "did you mean `confident.fonction`?");
  CHECK(d.where.column == 1);
}

TEST_CASE("an unknown fact with no close name lists the facts that share its first part") {
  const Diagnostic d = only_error({entry("victime.age_exact", CaseValueKind::Integer, "12")});
  CHECK(d.message == "unknown fact `victime.age_exact`");
  CHECK(d.hint == "the facts under `victime` are `victime.mineur`, `victime.vulnerable`");
  const Diagnostic far = only_error({word("zzz.qqq", "oui")});
  CHECK(far.hint.empty());
}

TEST_CASE("the same name twice is an error at the second, with a note at the first") {
  const Bound b = bind({word("victime.mineur", "oui", 2), word("victime.mineur", "non", 7)});
  REQUIRE(b.diags.all().size() == 2);
  const Diagnostic& error = b.diags.all()[0];
  const Diagnostic& note = b.diags.all()[1];
  CHECK(error.severity == Severity::Error);
  CHECK(error.message == "`victime.mineur` is given twice; keep one line for it");
  CHECK(error.where.line == 7);
  CHECK(note.severity == Severity::Note);
  CHECK(note.message == "`victime.mineur` was first given here");
  CHECK(note.where.line == 2);
  CHECK(b.bound.facts[kMineur] == Value::of(1));  // the first one stands
}

TEST_CASE("a member that is not in the enumeration is an error with a suggestion") {
  const Diagnostic d = only_error({word("confident.fonction", "psychiatr")});
  CHECK(d.message == "`psychiatr` is not a member of `fonction`");
  CHECK(d.hint == "did you mean `psychiatre`?");
  CHECK(d.where.column == 20);
}

TEST_CASE("a member far from every member lists a small enumeration whole") {
  const Diagnostic d = only_error({word("confident.fonction", "boulanger")});
  CHECK(d.message == "`boulanger` is not a member of `fonction`");
  CHECK(d.hint == "the members are `medecin`, `psychiatre`, `psychologue`, `assistant_social`, `autre`");
}

TEST_CASE("a member far from every member of a large enumeration shows how many and the first few") {
  const Diagnostic d = only_error({word("destinataire.qualite", "boulanger")});
  CHECK(d.message == "`boulanger` is not a member of `qualite`");
  CHECK(d.hint ==
        "`qualite` has 14 members, among them `juge_instruction`, `tribunal`, `cour`, `juge_de_paix`, "
        "`juge_famille`, `juge_jeunesse`, …");
}

TEST_CASE("a member written in quotes is an error that says to drop them") {
  const Diagnostic d = only_error({entry("confident.fonction", CaseValueKind::String, "psychiatre")});
  CHECK(d.message == "`\"psychiatre\"` is not a member of `fonction`");
  CHECK(d.hint == "write it without quotes: `psychiatre`");
}

TEST_CASE("a word that is no boolean is an error, with a suggestion when one is close") {
  const Diagnostic d = only_error({word("victime.mineur", "Ouii")});
  CHECK(d.message ==
        "`Ouii` is not a yes/no value; write `oui` or `non` (`true`/`false`, `vrai`/`faux`), or `?` if "
        "it is unknown");
  CHECK(d.hint == "did you mean `oui`?");
  CHECK(only_error({entry("victime.mineur", CaseValueKind::String, "non")}).hint == "write it without quotes: `non`");
}

TEST_CASE("a value of the wrong kind is an error that names the type expected") {
  CHECK(only_error({entry("victime.mineur", CaseValueKind::Date, "2024-05-01")}).message ==
        "`2024-05-01` is not a yes/no value; write `oui` or `non` (`true`/`false`, `vrai`/`faux`), or `?` if it is "
        "unknown");
  CHECK(only_error({word("cas.date", "oui")}).message == "`oui` is not a date; write `YYYY-MM-DD`, like `2024-05-01`");
  CHECK(only_error({entry("personnes", CaseValueKind::String, "3")}).message ==
        "`\"3\"` is not an integer; write digits, like `3`");
  CHECK(only_error({word("cas.titre", "madame")}).message ==
        "`madame` is not a string; write it in double quotes: `\"madame\"`");
  CHECK(only_error({entry("confident.fonction", CaseValueKind::Integer, "3")}).message ==
        "`3` is not a member of `fonction`");
  CHECK(only_error({word("infraction.article", "abc")}).message ==
        "`abc` is not an article of law, like `\"398\"` or `\"371/1\"`");
}

TEST_CASE("an impossible date is an error") {
  const Diagnostic d = only_error({entry("cas.date", CaseValueKind::Date, "2019-02-30")});
  CHECK(d.message == "`2019-02-30` is not a valid date");
  CHECK(d.where.column == 20);
}

TEST_CASE("an integer beyond 64 bits is an error") {
  const Diagnostic d = only_error({entry("personnes", CaseValueKind::Integer, "99999999999999999999")});
  CHECK(d.message == "`99999999999999999999` is out of range for an integer");
  const Bound b = bind({entry("personnes", CaseValueKind::Integer, "+9223372036854775807")});
  CHECK(!b.diags.has_errors());
  CHECK(b.bound.facts[kPersonnes] == Value::of(9223372036854775807));
}

TEST_CASE("a string that is no article of law is an error") {
  const Diagnostic d = only_error({entry("infraction.article", CaseValueKind::String, "abc")});
  CHECK(d.message == "`\"abc\"` is not an article of law, like `\"398\"` or `\"371/1\"`");
  CHECK(only_error({entry("infraction.article", CaseValueKind::Article, "405zz")}).message ==
        "`405zz` is not an article of law, like `\"398\"` or `\"371/1\"`");
}

TEST_CASE("`?` and `inconnu` give an unknown value that counts as given, whatever the type") {
  const Bound b = bind({
      entry("victime.mineur", CaseValueKind::Unknown, "?"),
      entry("confident.benevole", CaseValueKind::Unknown, "inconnu"),
      word("cas.date", "inconnu"),  // as a rule file's parser might hand it over
      entry("cas.titre", CaseValueKind::Unknown, "?"),
  });
  CHECK(b.diags.all().empty());
  CHECK(b.bound.given[kMineur]);
  CHECK(!b.bound.facts[kMineur].known);
  CHECK(b.bound.given[kBenevole]);
  CHECK(!b.bound.facts[kBenevole].known);  // the default `false` does not apply to an explicit `?`
  CHECK(b.bound.given[kDate]);
  CHECK(!b.bound.facts[kDate].known);  // nor does `today`
  CHECK(!b.bound.facts[kTitre].known);
}

TEST_CASE("facts not given take their default, `today` for a date, and are unknown otherwise") {
  const Bound b = bind({});
  CHECK(b.diags.all().empty());
  REQUIRE(b.bound.facts.size() == b.program.facts.size());
  CHECK(b.bound.facts[kDate] == Value::of(kToday));
  CHECK(b.bound.facts[kBenevole] == Value::of(0));
  CHECK(b.bound.facts[kPosition] == Value::of(0));
  CHECK(!b.bound.facts[kMineur].known);
  CHECK(!b.bound.facts[kTitre].known);
  for (std::size_t i = 0; i < b.bound.given.size(); ++i) CHECK(!b.bound.given[i]);
}

TEST_CASE("a string equal to a program constant takes its id, others get ids after the constants") {
  Program p = make_program();
  p.facts.push_back({"cas.note", {TypeKind::String, 0}, DefaultKind::None, {}, ""});
  p.facts.push_back({"cas.autre_note", {TypeKind::String, 0}, DefaultKind::None, {}, ""});
  p.facts.push_back({"cas.derniere_note", {TypeKind::String, 0}, DefaultKind::None, {}, ""});
  Diagnostics diags;
  const BoundCase b = secretc::bind_case(p,
                                         {
                                             entry("cas.titre", CaseValueKind::String, "375"),
                                             entry("cas.note", CaseValueKind::String, "nouveau"),
                                             entry("cas.autre_note", CaseValueKind::String, "autre"),
                                             entry("cas.derniere_note", CaseValueKind::String, "nouveau"),
                                         },
                                         kToday, diags);
  CHECK(diags.all().empty());
  const std::uint32_t note = 10, autre = 11, derniere = 12;
  CHECK(b.facts[kTitre] == Value::of(0));
  CHECK(b.facts[note] == Value::of(2));
  CHECK(b.facts[autre] == Value::of(3));
  CHECK(b.facts[derniere] == Value::of(2));  // equal strings, equal ids
  CHECK(b.extra_strings == std::vector<std::string>{"nouveau", "autre"});
  CHECK(b.format(p, note) == "nouveau");
  CHECK(b.format(p, derniere) == "nouveau");
  CHECK(b.format(p, kTitre) == "375");
}

TEST_CASE("a bound fact formats as the case file would write it, without quotes") {
  const Bound b = bind({
      word("victime.mineur", "oui"),
      word("victime.vulnerable", "faux"),
      word("confident.fonction", "psychologue"),
      entry("personnes", CaseValueKind::Integer, "42"),
      entry("cas.titre", CaseValueKind::String, "Madame L."),
      entry("infraction.article", CaseValueKind::String, "0371/1"),
  });
  CHECK(b.diags.all().empty());
  CHECK(b.bound.format(b.program, kMineur) == "true");
  CHECK(b.bound.format(b.program, kVulnerable) == "false");
  CHECK(b.bound.format(b.program, kFonction) == "psychologue");
  CHECK(b.bound.format(b.program, kDate) == "2025-01-15");
  CHECK(b.bound.format(b.program, kPersonnes) == "42");
  CHECK(b.bound.format(b.program, kTitre) == "Madame L.");
  CHECK(b.bound.format(b.program, kArticle) == "371/1");
  CHECK(b.bound.format(b.program, kQualite) == "?");
  CHECK(b.bound.format(b.program, 999) == "?");
}

TEST_CASE("every error of a case is reported, not only the first") {
  const Bound b = bind({
      word("confident.fontion", "psychiatre", 1),
      word("victime.mineur", "peut_etre", 2),
      entry("cas.date", CaseValueKind::Date, "2019-02-30", 3),
      word("victime.mineur", "oui", 4),
      word("confident.fonction", "psychiatr", 5),
  });
  CHECK(b.diags.error_count() == 5);
  std::vector<std::uint32_t> lines;
  for (const Diagnostic& d : b.diags.sorted()) {
    if (d.severity == Severity::Error) lines.push_back(d.where.line);
  }
  CHECK(lines == std::vector<std::uint32_t>{1, 2, 3, 4, 5});
}

TEST_CASE("a case file read and bound renders every error with its line, caret and suggestion") {
  secretc::SourceSet sources;
  const std::uint32_t file = sources.add("madame_l.fact",
                                         "# Psychiatre — Madame L.\n"
                                         "confident.fontion = psychiatre\n"
                                         "victime.mineur = oui\n"
                                         "confident.fonction = psychiatr\n"
                                         "victime.mineur = non\n"
                                         "cas.date = 2019-02-30\n");
  Diagnostics diags;
  const std::vector<CaseEntry> entries = secretc::parse_case(sources, file, diags);
  const Program program = make_program();
  (void)secretc::bind_case(program, entries, kToday, diags);
  CHECK(secretc::render_all(diags, sources) ==
        "madame_l.fact:2:1: error: unknown fact `confident.fontion`\n"
        "  confident.fontion = psychiatre\n"
        "  ^\n"
        "  hint: did you mean `confident.fonction`?\n"
        "madame_l.fact:4:22: error: `psychiatr` is not a member of `fonction`\n"
        "  confident.fonction = psychiatr\n"
        "                       ^\n"
        "  hint: did you mean `psychiatre`?\n"
        "madame_l.fact:5:1: error: `victime.mineur` is given twice; keep one line for it\n"
        "  victime.mineur = non\n"
        "  ^\n"
        "madame_l.fact:3:1: note: `victime.mineur` was first given here\n"
        "  victime.mineur = oui\n"
        "  ^\n"
        "madame_l.fact:6:12: error: `2019-02-30` is not a valid date\n"
        "  cas.date = 2019-02-30\n"
        "             ^\n"
        "  hint: write a day of the calendar as `YYYY-MM-DD`, like `2024-05-01`\n");
}

TEST_CASE("a program whose fact has a set type refuses a value instead of misreading it") {
  Program p = make_program();
  p.facts.push_back({"sanctions", {TypeKind::Set, 2}, DefaultKind::None, {}, ""});
  Diagnostics diags;
  (void)secretc::bind_case(p, {word("sanctions", "penale")}, kToday, diags);
  REQUIRE(diags.error_count() == 1);
  CHECK(diags.all().front().message == "`sanctions` is a set, which a case cannot give");
}

TEST_CASE("a word folds to lower case without French accents, `-` and `'` as `_`") {
  CHECK(secretc::fold_word("Médecin") == "medecin");
  CHECK(secretc::fold_word("Assistante-Sociale") == "assistante_sociale");
  CHECK(secretc::fold_word("ÉCRITE") == "ecrite");
  CHECK(secretc::fold_word("Juge_d'Instruction") == "juge_d_instruction");
  CHECK(secretc::fold_word("cœur") == "coeur");
  CHECK(secretc::fold_word("procureur_du_roi") == "procureur_du_roi");
}

TEST_CASE("members and booleans written with capitals or accents are read, with a note saying how") {
  const Bound b = bind({word("confident.fonction", "Médecin"), word("victime.mineur", "Oui", 2),
                        word("destinataire.qualite", "Juge-Instruction", 3)});
  CHECK(!b.diags.has_errors());
  CHECK(b.bound.facts[kFonction] == Value::of(0));
  CHECK(b.bound.facts[kMineur] == Value::of(1));
  CHECK(b.bound.facts[kQualite] == Value::of(0));
  REQUIRE(b.diags.all().size() == 3);
  CHECK(b.diags.all()[0].severity == Severity::Note);
  CHECK(b.diags.all()[0].message == "`Médecin` read as `medecin`");
}

TEST_CASE("a synonym the rulebase declares is read as its member, a word that matches nothing stays an error") {
  Bound b;
  b.program.enums[0].synonyms = {{"docteur"}, {}, {}, {"assistante_sociale"}, {}};
  b.bound = secretc::bind_case(b.program, {word("confident.fonction", "Assistante_Sociale")}, kToday, b.diags);
  CHECK(!b.diags.has_errors());
  CHECK(b.bound.facts[kFonction] == Value::of(3));
  const Diagnostic d = only_error({word("confident.fonction", "Dentiste")});
  CHECK(d.message.find("is not a member") != std::string::npos);
}

TEST_CASE("find_fact finds every fact by its name, with the name index, without it, and with a stale one") {
  Program p = make_program();
  const auto all_found = [&] {
    for (std::uint32_t f = 0; f < p.facts.size(); ++f) {
      CAPTURE(p.facts[f].name);
      CHECK(p.find_fact(p.facts[f].name) == f);
    }
    CHECK(!p.find_fact("pas.un_fait").has_value());
    CHECK(!p.find_fact("").has_value());
  };
  all_found();  // no index: the table is searched
  p.index_names();
  REQUIRE(p.fact_index.size() >= 2 * p.facts.size());
  all_found();
  // A fact renamed after the index was built: still found, by the table.
  p.facts[kMineur].name = "zz.renomme";
  all_found();
  p.fact_index.assign(p.fact_index.size(), Program::FactSlot{999, 0});  // nonsense numbers: never read past the table
  all_found();
  p.fact_index.assign(3, Program::FactSlot{0, 0});  // not a power of two: not probed
  all_found();
}
