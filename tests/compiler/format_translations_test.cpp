// The formatter on texts in two languages (`"texte" en "text"`), fact help (`aide`) and themes
// (`thème`): their layout, a fixed point, the same program, every comment kept.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "compiler/compile.hpp"
#include "compiler/cst.hpp"
#include "compiler/format.hpp"

using namespace secretc;

namespace {

// Comments as a reader sees them, found without the formatter's lexer: `#` outside strings, to the
// end of the line, trailing blanks removed; sorted.
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

std::string program_of(const std::string& text) {
  Compilation c = compile_texts({{"t.rules", text}});
  REQUIRE_MESSAGE(c.program.has_value(), render_all(c.diags, c.sources));
  return layout_independent_bytes(std::move(*c.program));
}

std::string formatted(const std::string& text) {
  const FormatResult r = format_rules("t.rules", text);
  INFO(r.problem, render_all(r.diags, r.sources));
  REQUIRE(r.status == FormatStatus::Ok);
  return r.text;
}

// The layout of `text`, checked to be a fixed point that compiles to the same program.
std::string fmt_of(const std::string& text) {
  const std::string once = formatted(text);
  CHECK(formatted(once) == once);
  CHECK(program_of(once) == program_of(text));
  return once;
}

// Every construct that takes a translation, written out of the canonical layout, in each language.
const char* kFr = R"x(base "t" version "1"
énumération f { a "A" en "AA", b, c | cc "C"
  en "CC" }
thème cas "Le dossier"   en
  "The case"
fait cas.x : booléen "Q ?" en "Q?" aide "H" en "H."
fait cas.y : f aide "Aide seule"
fait cas.z : booléen "Question seule" en "Only question"
fait cas.date : date
sortie s : énumération { garder "Garder" en "Keep", reveler "Révéler" en "Tell" } = garder
avertissement w "W" en "W." quand cas.x parce que "p" en "because" note "n" en "note"
règle r "R" en "R." valable du 2020-01-01 au 2030-01-01 "raison" en "reason" quand cas.x pourvu que cas.z
  "texte" en "text" alors s = reveler parce que "pq" en "bc" note "nt" en "nt." cite "art"
test "t" { soit cas.x = vrai, cas.y = a, cas.z = vrai, cas.date = 2024-01-01 attendu s = reveler }
)x";

const char* kFrLayout = R"x(base "t" version "1"
énumération f { a "A" en "AA", b, c | cc "C" en "CC" }
thème cas "Le dossier" en "The case"
fait cas.x : booléen "Q ?" en "Q?"
  aide "H" en "H."
fait cas.y : f
  aide "Aide seule"
fait cas.z : booléen "Question seule" en "Only question"
fait cas.date : date
sortie s : énumération { garder "Garder" en "Keep", reveler "Révéler" en "Tell" } = garder

avertissement w "W" en "W."
  quand cas.x
  parce que "p" en "because"
  note "n" en "note"

règle r "R" en "R."
  cite "art"
  valable du 2020-01-01 au 2030-01-01 "raison" en "reason"
  quand cas.x
  pourvu que cas.z "texte" en "text"
  alors s = reveler
  parce que "pq" en "bc"
  note "nt" en "nt."

test "t" {
  soit cas.x = vrai, cas.y = a, cas.z = vrai, cas.date = 2024-01-01
  attendu s = reveler
}
)x";

const char* kEn = R"x(rulebase "t" version "1"
enum f { a "A" fr "AA", b }
theme case "The case" fr "Le dossier"
fact case.x : bool "Q?" fr "Q ?" help "H" fr "H."
fact cas.date : date
output s : enum { yes "Yes" fr "Oui", no } = no
warning w "W" fr "W." when case.x because "b" fr "p" note "n" fr "n."
rule r "R" fr "R." valid until 2030-01-01 "reason" fr "raison" when case.x provided case.x "text" fr "texte"
  then s = yes because "b" fr "pq" note "n" fr "nt"
)x";

const char* kEnLayout = R"x(rulebase "t" version "1"
enum f { a "A" fr "AA", b }
theme case "The case" fr "Le dossier"
fact case.x : bool "Q?" fr "Q ?"
  help "H" fr "H."
fact cas.date : date
output s : enum { yes "Yes" fr "Oui", no } = no

warning w "W" fr "W."
  when case.x
  because "b" fr "p"
  note "n" fr "n."

rule r "R" fr "R."
  valid until 2030-01-01 "reason" fr "raison"
  when case.x
  provided case.x "text" fr "texte"
  then s = yes
  because "b" fr "pq"
  note "n" fr "nt"
)x";

// Inserts `what` (a comment) after each token of `text` in turn: each variant formats (the formatter
// checks its fixed point and its program itself), keeps every comment, and compiles to the program of
// `text`.
void check_comment_after_every_token(const std::string& text, const std::string& what) {
  const std::string expected = program_of(text);
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
    CHECK(program_of(r.text) == expected);
  }
}

}  // namespace

TEST_CASE("translations, help and themes take the canonical layout, in French and in English") {
  CHECK(fmt_of(kFr) == kFrLayout);
  CHECK(fmt_of(kFrLayout) == kFrLayout);
  CHECK(fmt_of(kEn) == kEnLayout);
  CHECK(fmt_of(kEnLayout) == kEnLayout);
}

TEST_CASE("a translation is part of the program: the formatter keeps each one in its place") {
  // The compiled program holds the translations: a formatter that dropped or moved one would fail
  // its own check, and these programs would differ.
  CHECK(program_of(kFr) != program_of(std::string(kFr).replace(std::string(kFr).find("en \"AA\""), 7, "")));
  CHECK(program_of(formatted(kFr)) == program_of(kFr));
  CHECK(program_of(formatted(kEn)) == program_of(kEn));
}

TEST_CASE("a comment before or after every word of translations, help and themes is kept") {
  for (const char* text : {kFr, kEn}) {
    // Formatted first, so that the comments land in the canonical layout as well as in the raw one.
    for (const std::string& base : {std::string(text), formatted(text)}) {
      check_comment_after_every_token(base, "  {}\n");
      check_comment_after_every_token(base, "\n{}\n");
      check_comment_after_every_token(base, "\n    {}\n");
    }
  }
}

TEST_CASE("a comment between a text and its translation stays there, the translation on the next line") {
  CHECK(fmt_of("fait x : booléen \"Q ?\" # la question\n en \"Q?\"\n") ==
        "fait x : booléen \"Q ?\"  # la question\n  en \"Q?\"\n");
  CHECK(fmt_of("fait x : booléen \"Q ?\"\n# en anglais\nen \"Q?\" aide \"H\"\n  # en anglais aussi\n en \"H.\"\n") ==
        "fait x : booléen \"Q ?\"\n  # en anglais\n  en \"Q?\"\n  aide \"H\"\n    # en anglais aussi\n    en \"H.\"\n");
  CHECK(fmt_of("énumération f { a \"A\" # libellé\n en \"AA\", b }\n") ==
        "énumération f {\n  a \"A\"  # libellé\n    en \"AA\",\n  b\n}\n");
  CHECK(fmt_of("thème t \"T\"\n  # the label\n en \"T.\"\nfait t.a : booléen\n") ==
        "thème t \"T\"\n  # the label\n  en \"T.\"\nfait t.a : booléen\n");
  CHECK(fmt_of("fait a : booléen\nrègle r \"R\" # titre\n en \"R.\" quand a alors verdict = reveler parce que \"p\""
               " # pourquoi\n en \"why\"\nsortie verdict : énumération { garder, reveler }\n") ==
        R"x(fait a : booléen

règle r "R"  # titre
  en "R."
  quand a
  alors verdict = reveler
  parce que "p"  # pourquoi
    en "why"

sortie verdict : énumération { garder, reveler }
)x");
  CHECK(fmt_of("fait a : booléen\nrègle r quand a pourvu que a \"texte\" # le texte\n en \"text\" alors v = o\n"
               "sortie v : énumération { o, p }\n") ==
        R"x(fait a : booléen

règle r
  quand a
  pourvu que a "texte"  # le texte
    en "text"
  alors v = o

sortie v : énumération { o, p }
)x");
}

TEST_CASE("a long translated question: the question, then its translation, each to the next line if it must") {
  // The question fits on the fact's line, its translation does not: it goes on the next, indented by two.
  CHECK(fmt_of("fait danger.grave_et_imminent : booléen \"Y a-t-il un danger grave et imminent pour la personne ?\""
               " en \"Is there a grave and imminent danger for the person?\"\n") ==
        R"x(fait danger.grave_et_imminent : booléen "Y a-t-il un danger grave et imminent pour la personne ?"
  en "Is there a grave and imminent danger for the person?"
)x");
  // The question does not fit on the fact's line: it goes on the next, its short translation after it.
  CHECK(fmt_of("fait confident.equipe_tenue_au_secret : booléen = faux \"Travaillez-vous dans une équipe tenue au "
               "secret ?\" en \"A team bound by secrecy?\"\n") ==
        R"x(fait confident.equipe_tenue_au_secret : booléen = faux
  "Travaillez-vous dans une équipe tenue au secret ?" en "A team bound by secrecy?"
)x");
  // Neither fits: one line each, the translation under its question; the help on its own line, its
  // translation two columns further in.
  CHECK(fmt_of("fait confident.confident_necessaire : booléen \"Votre mission vous oblige-t-elle à connaître des "
               "informations privées sur les personnes ?\" en \"Does your mission require you to know private "
               "information about people?\" aide \"Premier des deux critères qui font d'une fonction un confident "
               "nécessaire.\" en \"The first of the two criteria that make a function a necessary confidant.\"\n") ==
        R"x(fait confident.confident_necessaire : booléen
  "Votre mission vous oblige-t-elle à connaître des informations privées sur les personnes ?"
  en "Does your mission require you to know private information about people?"
  aide "Premier des deux critères qui font d'une fonction un confident nécessaire."
    en "The first of the two criteria that make a function a necessary confidant."
)x");
  // A fact without a translation is laid out as before translations existed.
  CHECK(fmt_of("fait confident.confident_necessaire : booléen \"Votre mission vous oblige-t-elle à connaître des "
               "informations privées ?\"\n") ==
        R"x(fait confident.confident_necessaire : booléen
  "Votre mission vous oblige-t-elle à connaître des informations privées ?"
)x");
}

TEST_CASE("long translated labels, titles and clause texts go to a continuation line, indented") {
  CHECK(fmt_of("énumération f { assistant_de_justice | assistante_de_justice \"Assistant ou assistante de justice\""
               " en \"Justice assistant\", travailleur_medico_social | travailleuse_medico_sociale | tms \"Travailleur"
               " ou travailleuse médico-social (TMS)\" en \"Medical-social worker (TMS)\" }\n") ==
        R"x(énumération f {
  assistant_de_justice | assistante_de_justice "Assistant ou assistante de justice"
    en "Justice assistant",
  travailleur_medico_social | travailleuse_medico_sociale | tms
    "Travailleur ou travailleuse médico-social (TMS)" en "Medical-social worker (TMS)"
}
)x");
  CHECK(fmt_of("thème concertation \"La concertation de cas entre professionnels tenus au secret (art. 458ter)\" en "
               "\"Case consultation\"\nfait concertation.a : booléen\n") ==
        R"x(thème concertation "La concertation de cas entre professionnels tenus au secret (art. 458ter)"
  en "Case consultation"
fait concertation.a : booléen
)x");
  CHECK(fmt_of("fait a : booléen\nfait cas.date : date\nsortie v : énumération { o, p }\n"
               "règle e2_article_458bis \"Infraction grave sur un mineur ou une personne vulnérable (art. 458bis)\" en "
               "\"Serious offence against a minor or a vulnerable person (art. 458bis)\" valable du 2017-05-17 au "
               "2019-03-14 \"annulée par C.C., arrêt 44/2019 du 14 mars 2019\" en \"annulled by the Constitutional "
               "Court, judgment 44/2019\" quand a pourvu que a \"l'infraction figure bien parmi celles que l'art. "
               "458bis énumère (si vous citez l'article, la base le vérifie)\" en \"the offence is indeed one of "
               "those art. 458bis lists (if you give the article, the rulebase checks it)\" pourvu que a \"court\" en "
               "\"a translation too long to stand after its text on the line of the condition\" alors v = o parce "
               "que \"Vous savez qu'une infraction grave a été commise sur un mineur.\" en \"You know that a serious "
               "offence was committed against a minor.\"\n") ==
        R"x(fait a : booléen
fait cas.date : date
sortie v : énumération { o, p }

règle e2_article_458bis "Infraction grave sur un mineur ou une personne vulnérable (art. 458bis)"
  en "Serious offence against a minor or a vulnerable person (art. 458bis)"
  valable du 2017-05-17 au 2019-03-14 "annulée par C.C., arrêt 44/2019 du 14 mars 2019"
    en "annulled by the Constitutional Court, judgment 44/2019"
  quand a
  pourvu que a
    "l'infraction figure bien parmi celles que l'art. 458bis énumère (si vous citez l'article, la base le vérifie)"
    en "the offence is indeed one of those art. 458bis lists (if you give the article, the rulebase checks it)"
  pourvu que a "court"
    en "a translation too long to stand after its text on the line of the condition"
  alors v = o
  parce que "Vous savez qu'une infraction grave a été commise sur un mineur."
    en "You know that a serious offence was committed against a minor."
)x");
}
